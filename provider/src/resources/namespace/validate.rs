//! Cross-attribute checks of `hub_namespace`, made before anything is written: labels that would fight
//! `pod_security`, the Pod Security version, and LimitRange defaults Kubernetes would reject. Unknown
//! values are skipped.

use crate::diag::Diagnostics;
use crate::k8s::quantity;
use crate::schema::Validator;
use crate::value::{AttributePath, Tf};

use super::model::NamespaceModel;
use super::render::READINESS_GATE_LABEL;

/// Label keys hub sets from `pod_security`.
const PSS_PREFIX: &str = "pod-security.kubernetes.io/";

/// `latest` or a Kubernetes minor version such as `v1.35`.
pub(super) fn pss_version() -> Validator {
    Validator::new("a Pod Security version", |v, path, diags| {
        if let Some(s) = v.as_str()
            && !is_pss_version(s)
        {
            diags.error_at(
                path,
                "Invalid Pod Security Version",
                format!("{path} = {s:?} is not a Pod Security Standards version: use \"latest\" or e.g. \"v1.35\"."),
            );
        }
    })
}

fn is_pss_version(s: &str) -> bool {
    let number = |p: &str| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit());
    s == "latest"
        || s.strip_prefix('v')
            .and_then(|rest| rest.split_once('.'))
            .is_some_and(|(major, minor)| number(major) && number(minor))
}

pub(super) fn validate(config: &NamespaceModel, diags: &mut Diagnostics) {
    if let Some(labels) = config.labels.get()
        && let Some(key) = labels.keys().find(|k| k.starts_with(PSS_PREFIX))
    {
        diags.error_at(
            &AttributePath::attr("labels").then_key(key),
            "Label Managed By pod_security",
            format!(
                "labels[{key:?}]: hub sets the {PSS_PREFIX}* labels from pod_security; set the level there instead \
                 (e.g. pod_security = {{ enforce = \"baseline\" }})."
            ),
        );
    }
    if let Some(labels) = config.labels.get()
        && labels.contains_key(READINESS_GATE_LABEL.0)
    {
        diags.error_at(
            &AttributePath::attr("labels").then_key(READINESS_GATE_LABEL.0),
            "Label Managed By alb_pod_readiness_gate",
            format!(
                "labels[{:?}]: hub sets this label from alb_pod_readiness_gate; set alb_pod_readiness_gate = true instead.",
                READINESS_GATE_LABEL.0
            ),
        );
    }
    if let Some(limits) = config.limit_range.get() {
        for resource in ["cpu", "memory"] {
            let [request, limit, max] = limits.of(resource);
            for (low, high) in [(request, limit), (limit, max), (request, max)] {
                check_order(low, high, diags);
            }
        }
    }
    check_quota(config, diags);
}

/// A quota whose requests cap is above its limits cap can never be reached (every container's request is at
/// most its limit): refused. A quota on limits makes Kubernetes refuse every pod whose containers set none;
/// without a LimitRange default limit, that is most pods (hub_app sets no CPU limit by default): warned.
fn check_quota(config: &NamespaceModel, diags: &mut Diagnostics) {
    let Some(quota) = config.resource_quota.get() else {
        return;
    };
    let limits = &config.limit_range;
    for (resource, requests, limit) in [
        ("cpu", &quota.requests_cpu, &quota.limits_cpu),
        ("memory", &quota.requests_memory, &quota.limits_memory),
    ] {
        let (requests_attr, limit_attr) = (format!("requests_{resource}"), format!("limits_{resource}"));
        if let (Some(r), Some(l)) = (requests, limit)
            && let (Some(rq), Some(lq)) = (quantity::parse(r), quantity::parse(l))
            && rq > lq
        {
            diags.error_at(
                &AttributePath::attr("resource_quota").then_attr(&requests_attr),
                "Quota Requests Above Limits",
                format!(
                    "resource_quota.{requests_attr} ({r}) is above resource_quota.{limit_attr} ({l}): a container's request is at \
                     most its limit, so the requests cap could never be reached. Lower it or raise the limits cap."
                ),
            );
        }
        // hub_app always sets requests, so only a limits cap is checked against a default.
        let default_attr = format!("default_limit_{resource}");
        let defaulted = match limits {
            Tf::Unknown => true,
            Tf::Null => false,
            Tf::Known(l) => l.of(resource)[1].1.is_some(),
        };
        if limit.is_some() && !defaulted {
            diags.warning_at(
                &AttributePath::attr("resource_quota").then_attr(&limit_attr),
                "Quota Without Default",
                format!(
                    "With resource_quota.{limit_attr} set, Kubernetes refuses every pod whose containers do not set \
                     it, and limit_range.{default_attr} is not set to fill it in (hub_app sets no CPU limit unless \
                     resources.cpu_limit is set). Set limit_range.{default_attr}."
                ),
            );
        }
    }
}

/// `limit_range.low` must not be above `limit_range.high` when both are set.
fn check_order(
    (low, low_value): (&str, &Option<String>),
    (high, high_value): (&str, &Option<String>),
    diags: &mut Diagnostics,
) {
    if let (Some(l), Some(h)) = (low_value, high_value)
        && let (Some(lq), Some(hq)) = (quantity::parse(l), quantity::parse(h))
        && lq > hq
    {
        diags.error_at(
            &AttributePath::attr("limit_range").then_attr(low),
            "Invalid Limit Range",
            format!("limit_range.{low} ({l}) is above limit_range.{high} ({h}); Kubernetes rejects that."),
        );
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::resources::namespace::model::{Limits, Quota};

    fn errors(config: NamespaceModel) -> Vec<String> {
        let mut d = Diagnostics::new();
        validate(&config, &mut d);
        d.0.into_iter().map(|d| d.detail).collect()
    }

    #[test]
    fn quota_requests_above_limits_are_refused_and_limits_without_default_warned() {
        let quota = Quota {
            requests_cpu: Some("8".into()),
            limits_cpu: Some("4".into()),
            ..Quota::default()
        };
        let mut d = Diagnostics::new();
        validate(
            &NamespaceModel {
                resource_quota: Tf::Known(quota),
                ..NamespaceModel::default()
            },
            &mut d,
        );
        let found: Vec<(crate::diag::Severity, String)> = d.0.into_iter().map(|d| (d.severity, d.detail)).collect();
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].0, crate::diag::Severity::Error);
        assert!(
            found[0]
                .1
                .starts_with("resource_quota.requests_cpu (8) is above resource_quota.limits_cpu (4)")
        );
        assert_eq!(found[1].0, crate::diag::Severity::Warning);
        assert!(found[1].1.contains("limit_range.default_limit_cpu"), "{found:?}");
    }

    #[test]
    fn versions() {
        for ok in ["latest", "v1.35", "v1.0"] {
            assert!(is_pss_version(ok), "{ok}");
        }
        for bad in ["1.35", "v1", "v1.x", "Latest", ""] {
            assert!(!is_pss_version(bad), "{bad}");
        }
    }

    #[test]
    fn pss_labels_and_limit_order() {
        let labels = BTreeMap::from([("pod-security.kubernetes.io/enforce".to_owned(), "privileged".to_owned())]);
        let e = errors(NamespaceModel {
            labels: Tf::Known(labels),
            ..NamespaceModel::default()
        });
        assert!(e[0].contains("pod_security"), "{e:?}");
        let limits = Limits {
            default_request_cpu: Some("2".into()),
            default_limit_cpu: Some("1500m".into()),
            max_cpu: None,
            default_request_memory: Some("1Gi".into()),
            default_limit_memory: Some("2Gi".into()),
            max_memory: Some("1Gi".into()),
        };
        let e = errors(NamespaceModel {
            limit_range: Tf::Known(limits),
            ..NamespaceModel::default()
        });
        assert_eq!(e.len(), 2, "{e:?}");
        assert!(e[0].starts_with("limit_range.default_request_cpu (2) is above limit_range.default_limit_cpu"));
        assert!(e[1].starts_with("limit_range.default_limit_memory (2Gi) is above limit_range.max_memory"));
    }
}
