//! The typed model of `hub_namespace`: configuration, plan and state.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::value::Tf;

/// Default time `delete` waits for the namespace to disappear.
pub(super) const DEFAULT_DELETE_TIMEOUT: &str = "5m";

/// One `hub_namespace`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamespaceModel {
    pub name: Tf<String>,
    pub labels: Tf<BTreeMap<String, String>>,
    pub annotations: Tf<BTreeMap<String, String>>,
    pub pod_security: Tf<PodSecurity>,
    pub resource_quota: Tf<Quota>,
    pub limit_range: Tf<Limits>,
    pub default_deny: Tf<bool>,
    pub alb_pod_readiness_gate: Tf<bool>,
    pub delete_timeout: Tf<String>,
    pub id: Tf<String>,
    pub uid: Tf<String>,
}

/// Pod Security Standards levels and the version they are pinned to.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PodSecurity {
    pub enforce: Option<String>,
    pub audit: Option<String>,
    pub warn: Option<String>,
    pub version: Option<String>,
}

impl PodSecurity {
    /// The levels by label suffix.
    pub fn levels(&self) -> [(&'static str, &Option<String>); 3] {
        [("enforce", &self.enforce), ("audit", &self.audit), ("warn", &self.warn)]
    }
    /// What `pod_security` is when not configured.
    pub fn restricted() -> Self {
        let level = Some("restricted".to_owned());
        PodSecurity {
            enforce: level.clone(),
            audit: level.clone(),
            warn: level,
            version: Some("latest".into()),
        }
    }
}

/// The ResourceQuota `hub-quota`: quantities as written, counts as numbers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quota {
    pub requests_cpu: Option<String>,
    pub requests_memory: Option<String>,
    pub limits_cpu: Option<String>,
    pub limits_memory: Option<String>,
    pub pods: Option<i64>,
    pub services: Option<i64>,
    pub load_balancers: Option<i64>,
}

/// One quota attribute, as its Kubernetes `spec.hard` key and the field holding it.
pub enum QuotaField<'a> {
    /// A quantity such as `8` or `16Gi`.
    Quantity(&'a mut Option<String>),
    /// A count of objects.
    Count(&'a mut Option<i64>),
}

impl Quota {
    /// Every attribute by its `spec.hard` key.
    pub fn fields_mut(&mut self) -> [(&'static str, QuotaField<'_>); 7] {
        use QuotaField::{Count, Quantity};
        [
            ("requests.cpu", Quantity(&mut self.requests_cpu)),
            ("requests.memory", Quantity(&mut self.requests_memory)),
            ("limits.cpu", Quantity(&mut self.limits_cpu)),
            ("limits.memory", Quantity(&mut self.limits_memory)),
            ("pods", Count(&mut self.pods)),
            ("services", Count(&mut self.services)),
            ("services.loadbalancers", Count(&mut self.load_balancers)),
        ]
    }
    /// `spec.hard`: the set attributes by key.
    pub fn hard(&self) -> BTreeMap<&'static str, String> {
        let mut copy = self.clone();
        copy.fields_mut()
            .into_iter()
            .filter_map(|(key, field)| match field {
                QuotaField::Quantity(q) => q.clone().map(|q| (key, q)),
                QuotaField::Count(n) => n.map(|n| (key, n.to_string())),
            })
            .collect()
    }
}

/// The LimitRange `hub-limits` for containers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    pub default_request_cpu: Option<String>,
    pub default_request_memory: Option<String>,
    pub default_limit_cpu: Option<String>,
    pub default_limit_memory: Option<String>,
    pub max_cpu: Option<String>,
    pub max_memory: Option<String>,
}

impl Limits {
    /// Every attribute by (section of the Container limit, resource).
    pub fn fields_mut(&mut self) -> [((&'static str, &'static str), &mut Option<String>); 6] {
        [
            (("defaultRequest", "cpu"), &mut self.default_request_cpu),
            (("defaultRequest", "memory"), &mut self.default_request_memory),
            (("default", "cpu"), &mut self.default_limit_cpu),
            (("default", "memory"), &mut self.default_limit_memory),
            (("max", "cpu"), &mut self.max_cpu),
            (("max", "memory"), &mut self.max_memory),
        ]
    }
    /// The set attributes by (section, resource).
    pub fn entries(&self) -> BTreeMap<(&'static str, &'static str), String> {
        let mut copy = self.clone();
        copy.fields_mut()
            .into_iter()
            .filter_map(|(at, v)| v.clone().map(|v| (at, v)))
            .collect()
    }
    /// `(default request, default limit, max)` of one resource, for order checks.
    pub fn of(&self, resource: &str) -> [(&'static str, &Option<String>); 3] {
        if resource == "cpu" {
            [
                ("default_request_cpu", &self.default_request_cpu),
                ("default_limit_cpu", &self.default_limit_cpu),
                ("max_cpu", &self.max_cpu),
            ]
        } else {
            [
                ("default_request_memory", &self.default_request_memory),
                ("default_limit_memory", &self.default_limit_memory),
                ("max_memory", &self.max_memory),
            ]
        }
    }
}

impl NamespaceModel {
    /// The namespace name (empty only in a malformed state, which the API then refuses).
    pub fn name(&self) -> &str {
        self.name.as_deref().unwrap_or_default()
    }
}
