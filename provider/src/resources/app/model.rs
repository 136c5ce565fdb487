//! Convenient typed reads of a decoded `hub_app` value (config or planned state), so rendering reads like
//! the configuration it comes from.

use std::collections::BTreeMap;

use crate::k8s::labels::ROLE_ARN_ANNOTATION;
use crate::value::Value;

/// A read-only view of an object value.
#[derive(Clone, Copy)]
pub(crate) struct View<'a>(pub &'a Value);

static NULL: Value = Value::Null;

impl<'a> View<'a> {
    /// The attribute's value (null when absent).
    pub fn get(self, name: &str) -> &'a Value {
        self.0.attr(name).unwrap_or(&NULL)
    }
    /// A nested object, if set.
    pub fn obj(self, name: &str) -> Option<View<'a>> {
        let v = self.get(name);
        (!v.is_null()).then_some(View(v))
    }
    /// A string attribute.
    pub fn str(self, name: &str) -> Option<&'a str> {
        self.get(name).as_str()
    }
    /// A whole-number attribute.
    pub fn int(self, name: &str) -> Option<i64> {
        self.get(name).as_number().and_then(|n| n.to_i64())
    }
    /// A bool attribute.
    pub fn bool(self, name: &str) -> Option<bool> {
        self.get(name).as_bool()
    }
    /// A map-of-strings attribute (empty when null).
    pub fn map(self, name: &str) -> BTreeMap<String, String> {
        self.get(name)
            .as_map()
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
                    .collect()
            })
            .unwrap_or_default()
    }
    /// A list-of-strings attribute (empty when null).
    pub fn strings(self, name: &str) -> Vec<String> {
        self.get(name)
            .as_elements()
            .unwrap_or_default()
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect()
    }
    /// A list of nested objects.
    pub fn objs(self, name: &str) -> Vec<View<'a>> {
        self.get(name)
            .as_elements()
            .unwrap_or_default()
            .iter()
            .map(View)
            .collect()
    }
    /// Name of the app.
    pub fn name(self) -> &'a str {
        self.str("name").unwrap_or_default()
    }
    /// Namespace of the app.
    pub fn namespace(self) -> &'a str {
        self.str("namespace").unwrap_or_default()
    }
    /// The Service's name (`service.name`, default: the app name).
    pub fn service_name(self) -> &'a str {
        self.obj("service").and_then(|s| s.str("name")).unwrap_or(self.name())
    }
    /// The ConfigMap's name (`config_map_name`, default `<name>-config`).
    pub fn config_map_name(self) -> String {
        self.str("config_map_name")
            .map_or_else(|| format!("{}-config", self.name()), str::to_owned)
    }
    /// The Secret's name (`secret_name`, default `<name>-secret`).
    pub fn secret_name(self) -> String {
        self.str("secret_name")
            .map_or_else(|| format!("{}-secret", self.name()), str::to_owned)
    }
    /// The ServiceAccount the pods use.
    pub fn service_account_name(self) -> String {
        self.obj("service_account")
            .and_then(|sa| sa.str("name"))
            .unwrap_or(self.name())
            .to_owned()
    }
    /// The ServiceAccount's annotations: the configured ones plus the IRSA role, when its ARN is known.
    pub fn service_account_annotations(self) -> BTreeMap<String, String> {
        let sa = self.obj("service_account");
        let mut annotations = sa.map(|sa| sa.map("annotations")).unwrap_or_default();
        if let Some(arn) = sa.and_then(|sa| sa.obj("irsa")).and_then(|irsa| irsa.str("role_arn")) {
            annotations.insert(ROLE_ARN_ANNOTATION.into(), arn.into());
        }
        annotations
    }
    /// Whether the ServiceAccount is created by hub.
    pub fn creates_service_account(self) -> bool {
        self.obj("service_account")
            .and_then(|sa| sa.bool("create"))
            .unwrap_or(true)
    }
}
