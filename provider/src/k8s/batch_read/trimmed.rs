//! Objects parsed straight into the parts a refresh compares: `status` and `metadata.managedFields` (often
//! most of an object's bytes) are skipped while parsing, never built.

use std::fmt;

use kube::api::ApiResource;
use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::{Map, Value as Json};

/// One page of a LIST response.
#[derive(Deserialize)]
pub(super) struct Page {
    #[serde(default)]
    pub metadata: PageMeta,
    #[serde(default)]
    pub items: Vec<Trimmed>,
}

#[derive(Deserialize, Default)]
pub(super) struct PageMeta {
    #[serde(rename = "continue", default)]
    pub continue_token: Option<String>,
}

/// An object without the members a refresh never compares.
pub(super) struct Trimmed(Map<String, Json>);

impl Trimmed {
    pub(super) fn name(&self) -> Option<&str> {
        self.0.get("metadata")?.get("name")?.as_str()
    }

    /// The object as JSON, with the apiVersion and kind a LIST's items lack, and without a Secret's values
    /// (hub compares only a Secret's presence, so none is held).
    pub(super) fn into_json(mut self, resource: &ApiResource) -> Json {
        for (key, value) in [("apiVersion", &resource.api_version), ("kind", &resource.kind)] {
            self.0.entry(key).or_insert_with(|| Json::String(value.clone()));
        }
        if resource.kind == "Secret" {
            self.0.remove("data");
            self.0.remove("stringData");
        }
        Json::Object(self.0)
    }
}

/// Which members to skip, at the top and inside `metadata`.
struct Without {
    skip: &'static [&'static str],
    metadata: Option<&'static Without>,
}

const OBJECT: Without = Without {
    skip: &["status"],
    metadata: Some(&METADATA),
};
const METADATA: Without = Without {
    skip: &["managedFields"],
    metadata: None,
};

impl<'de> Deserialize<'de> for Trimmed {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(&OBJECT).map(Trimmed)
    }
}

impl<'de> DeserializeSeed<'de> for &'static Without {
    type Value = Map<String, Json>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for &'static Without {
    type Value = Map<String, Json>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a Kubernetes object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if self.skip.contains(&key.as_str()) {
                map.next_value::<IgnoredAny>()?;
            } else if let (Some(inner), "metadata") = (self.metadata, key.as_str()) {
                out.insert(key, Json::Object(map.next_value_seed(inner)?));
            } else {
                out.insert(key, map.next_value()?);
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn resource(api_version: &str, kind: &str) -> ApiResource {
        ApiResource {
            group: String::new(),
            version: api_version.to_owned(),
            api_version: api_version.to_owned(),
            kind: kind.to_owned(),
            plural: String::new(),
        }
    }

    #[test]
    fn a_page_keeps_what_a_refresh_compares_and_no_secret_value() {
        let page: Page = serde_json::from_value(json!({
            "kind": "SecretList", "apiVersion": "v1",
            "metadata": {"resourceVersion": "7", "continue": "abc"},
            "items": [{
                "metadata": {"name": "api-secret", "labels": {"a": "b"}, "managedFields": [{"manager": "hub"}]},
                "type": "Opaque", "data": {"DB_PASSWORD": "aHVudGVyMg=="},
            }],
        }))
        .expect("page");
        assert_eq!(page.metadata.continue_token.as_deref(), Some("abc"));
        let item = page.items.into_iter().next().expect("one item");
        assert_eq!(item.name(), Some("api-secret"));
        assert_eq!(
            item.into_json(&resource("v1", "Secret")),
            json!({"metadata": {"name": "api-secret", "labels": {"a": "b"}}, "type": "Opaque", "apiVersion": "v1", "kind": "Secret"})
        );
    }

    #[test]
    fn an_object_loses_status_and_managed_fields_but_keeps_its_data() {
        let object: Trimmed = serde_json::from_value(json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "api", "managedFields": [], "uid": "u"},
            "spec": {"replicas": 2, "status": "a field of the spec stays"},
            "status": {"readyReplicas": 2},
        }))
        .expect("deployment");
        assert_eq!(
            object.into_json(&resource("apps/v1", "Deployment")),
            json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "api", "uid": "u"},
                   "spec": {"replicas": 2, "status": "a field of the spec stays"}})
        );
        let config: Trimmed =
            serde_json::from_value(json!({"metadata": {"name": "c"}, "data": {"K": "v"}})).expect("configmap");
        assert_eq!(
            config.into_json(&resource("v1", "ConfigMap"))["data"],
            json!({"K": "v"})
        );
    }

    #[test]
    fn a_page_without_items_or_continue_is_empty() {
        let page: Page = serde_json::from_str(r#"{"metadata": {}}"#).expect("page");
        assert!(page.items.is_empty() && page.metadata.continue_token.is_none());
    }
}
