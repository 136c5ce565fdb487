//! Pure rendering: a `hub_namespace` model to the objects hub applies (Namespace with Pod Security labels,
//! ResourceQuota, LimitRange, default-deny NetworkPolicy). Testable without a cluster.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    LimitRange, LimitRangeItem, LimitRangeSpec, Namespace, ResourceQuota, ResourceQuotaSpec,
};
use k8s_openapi::api::networking::v1::{NetworkPolicy, NetworkPolicySpec};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};

use super::model::NamespaceModel;
use crate::k8s::labels::MANAGED_BY;
use crate::k8s::network_rules::dns_egress;

/// Names of the companion objects hub creates in the namespace.
pub(super) const QUOTA_NAME: &str = "hub-quota";
pub(super) const LIMITS_NAME: &str = "hub-limits";
pub(super) const DENY_NAME: &str = "hub-default-deny";

/// The label that has the AWS Load Balancer Controller inject its pod readiness gate.
pub(super) const READINESS_GATE_LABEL: (&str, &str) = ("elbv2.k8s.aws/pod-readiness-gate-inject", "enabled");

/// The Pod Security Admission label for a level kind (`enforce`, `audit`, `warn`) or its `-version`.
pub(super) fn pss_label(kind: &str) -> String {
    format!("pod-security.kubernetes.io/{kind}")
}

fn meta(name: &str, namespace: Option<&str>, extra: &BTreeMap<String, String>) -> ObjectMeta {
    let mut labels = extra.clone();
    labels.insert(MANAGED_BY.0.into(), MANAGED_BY.1.into());
    ObjectMeta {
        name: Some(name.to_owned()),
        namespace: namespace.map(str::to_owned),
        labels: Some(labels),
        ..Default::default()
    }
}

/// The Namespace object for server-side apply: only the fields hub owns.
pub(super) fn namespace(model: &NamespaceModel) -> Namespace {
    let mut labels: BTreeMap<String, String> = model.labels.get().cloned().unwrap_or_default();
    if let Some(ps) = model.pod_security.get() {
        for (kind, level) in ps.levels() {
            if let Some(level) = level {
                labels.insert(pss_label(kind), level.clone());
            }
        }
        if let Some(version) = &ps.version {
            for kind in ["enforce", "audit", "warn"] {
                labels.insert(format!("{}-version", pss_label(kind)), version.clone());
            }
        }
    }
    if model.alb_pod_readiness_gate.value() == Some(true) {
        labels.insert(READINESS_GATE_LABEL.0.into(), READINESS_GATE_LABEL.1.into());
    }
    let mut metadata = meta(model.name(), None, &labels);
    metadata.annotations = model.annotations.get().filter(|a| !a.is_empty()).cloned();
    Namespace {
        metadata,
        ..Default::default()
    }
}

/// The ResourceQuota, when configured.
pub(super) fn quota(model: &NamespaceModel) -> Option<ResourceQuota> {
    let hard = model.resource_quota.get()?.hard();
    Some(ResourceQuota {
        metadata: meta(QUOTA_NAME, Some(model.name()), &BTreeMap::new()),
        spec: Some(ResourceQuotaSpec {
            hard: Some(hard.iter().map(|(k, v)| (k.to_string(), Quantity(v.clone()))).collect()),
            ..Default::default()
        }),
        ..Default::default()
    })
}

/// The LimitRange, when configured.
pub(super) fn limit_range(model: &NamespaceModel) -> Option<LimitRange> {
    let entries = model.limit_range.get()?.entries();
    let section = |name: &str| {
        let m: BTreeMap<String, Quantity> = entries
            .iter()
            .filter(|((s, _), _)| *s == name)
            .map(|((_, r), v)| (r.to_string(), Quantity(v.clone())))
            .collect();
        (!m.is_empty()).then_some(m)
    };
    Some(LimitRange {
        metadata: meta(LIMITS_NAME, Some(model.name()), &BTreeMap::new()),
        spec: Some(LimitRangeSpec {
            limits: vec![LimitRangeItem {
                type_: "Container".into(),
                default: section("default"),
                default_request: section("defaultRequest"),
                max: section("max"),
                ..Default::default()
            }],
        }),
    })
}

/// The default-deny policy, when asked: all pods isolated both ways, DNS to kube-dns still allowed.
pub(super) fn default_deny(model: &NamespaceModel) -> Option<NetworkPolicy> {
    (model.default_deny.value() == Some(true)).then(|| NetworkPolicy {
        metadata: meta(DENY_NAME, Some(model.name()), &BTreeMap::new()),
        spec: Some(NetworkPolicySpec {
            pod_selector: Some(LabelSelector::default()),
            egress: Some(vec![dns_egress()]),
            policy_types: Some(vec!["Ingress".into(), "Egress".into()]),
            ..Default::default()
        }),
    })
}

/// Keeps only the keys hub manages (those in `managed`) from what the server has, so that labels set by
/// others never show up as drift, while a managed label changed or removed by someone does.
pub(super) fn managed_subset(
    managed: Option<&BTreeMap<String, String>>,
    actual: Option<&BTreeMap<String, String>>,
) -> Option<BTreeMap<String, String>> {
    let managed = managed?;
    Some(
        managed
            .keys()
            .filter_map(|k| actual.and_then(|a| a.get(k)).map(|v| (k.clone(), v.clone())))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resources::namespace::model::{Limits, PodSecurity, Quota};
    use crate::value::Tf;

    fn model() -> NamespaceModel {
        NamespaceModel {
            name: Tf::Known("team-a".into()),
            labels: Tf::Known(BTreeMap::from([("env".into(), "prod".into())])),
            pod_security: Tf::Known(PodSecurity {
                warn: Some("baseline".into()),
                version: Some("v1.35".into()),
                ..PodSecurity::restricted()
            }),
            resource_quota: Tf::Known(Quota {
                requests_cpu: Some("4".into()),
                pods: Some(20),
                ..Quota::default()
            }),
            limit_range: Tf::Known(Limits {
                default_request_cpu: Some("100m".into()),
                default_limit_memory: Some("256Mi".into()),
                ..Limits::default()
            }),
            default_deny: Tf::Known(true),
            alb_pod_readiness_gate: Tf::Known(true),
            delete_timeout: Tf::Known("5m".into()),
            ..NamespaceModel::default()
        }
    }

    #[test]
    fn namespace_carries_labels_pod_security_and_managed_by() {
        let labels = namespace(&model()).metadata.labels.unwrap();
        assert_eq!(labels["env"], "prod");
        assert_eq!(labels["app.kubernetes.io/managed-by"], "hub");
        assert_eq!(labels["pod-security.kubernetes.io/enforce"], "restricted");
        assert_eq!(labels["pod-security.kubernetes.io/warn"], "baseline");
        assert_eq!(labels["pod-security.kubernetes.io/enforce-version"], "v1.35");
        assert_eq!(labels["pod-security.kubernetes.io/warn-version"], "v1.35");
        assert_eq!(labels["elbv2.k8s.aws/pod-readiness-gate-inject"], "enabled");
        let off = NamespaceModel {
            alb_pod_readiness_gate: Tf::Known(false),
            ..model()
        };
        let labels = namespace(&off).metadata.labels.unwrap();
        assert!(!labels.contains_key("elbv2.k8s.aws/pod-readiness-gate-inject"));
    }

    #[test]
    fn companions_render_only_when_configured() {
        let m = model();
        let q = serde_json::to_value(quota(&m).unwrap().spec).unwrap();
        assert_eq!(q, serde_json::json!({"hard": {"pods": "20", "requests.cpu": "4"}}));
        let l = serde_json::to_value(limit_range(&m).unwrap().spec).unwrap();
        assert_eq!(
            l,
            serde_json::json!({"limits": [{"type": "Container", "default": {"memory": "256Mi"}, "defaultRequest": {"cpu": "100m"}}]})
        );
        let deny = serde_json::to_value(default_deny(&m).unwrap().spec).unwrap();
        assert_eq!(deny["policyTypes"], serde_json::json!(["Ingress", "Egress"]));
        assert_eq!(
            deny["egress"][0]["ports"][0],
            serde_json::json!({"port": 53, "protocol": "UDP"})
        );
        assert_eq!(
            deny["egress"][0]["ports"][1],
            serde_json::json!({"port": 53, "protocol": "TCP"})
        );

        let bare = NamespaceModel {
            resource_quota: Tf::Null,
            limit_range: Tf::Null,
            default_deny: Tf::Known(false),
            ..m
        };
        assert!(quota(&bare).is_none() && limit_range(&bare).is_none() && default_deny(&bare).is_none());
    }

    #[test]
    fn drift_ignores_foreign_labels_but_sees_managed_changes() {
        let managed = Some(BTreeMap::from([("env".to_string(), "prod".to_string())]));
        let actual = BTreeMap::from([
            ("env".to_string(), "dev".to_string()),
            ("other".to_string(), "x".to_string()),
        ]);
        let seen = managed_subset(managed.as_ref(), Some(&actual)).unwrap();
        assert_eq!(seen, BTreeMap::from([("env".to_string(), "dev".to_string())]));
        assert_eq!(managed_subset(managed.as_ref(), None), Some(BTreeMap::new()));
        assert_eq!(managed_subset(None, Some(&actual)), None);
    }
}
