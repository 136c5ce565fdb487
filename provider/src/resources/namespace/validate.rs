//! Cross-attribute checks of `hub_namespace`, made before anything is written: labels that would fight
//! `pod_security`, the Pod Security version, and LimitRange defaults Kubernetes would reject. Unknown
//! values are skipped.

use crate::diag::Diagnostics;
use crate::k8s::quantity;
use crate::schema::Validator;
use crate::value::{AttributePath, Value};

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

pub(super) fn validate(config: &Value, diags: &mut Diagnostics) {
    if let Some(labels) = config.attr("labels").and_then(Value::as_map)
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
    if let Some(limits) = config.attr("limit_range").filter(|v| !v.is_null()) {
        for resource in ["cpu", "memory"] {
            let request = format!("default_request_{resource}");
            let limit = format!("default_limit_{resource}");
            let max = format!("max_{resource}");
            for (low, high) in [(&request, &limit), (&limit, &max), (&request, &max)] {
                check_order(limits, low, high, diags);
            }
        }
    }
    check_quota(config, diags);
}

/// A quota whose requests cap is above its limits cap can never be reached (every container's request is at
/// most its limit): refused. A quota on limits makes Kubernetes refuse every pod whose containers set none;
/// without a LimitRange default limit, that is most pods (hub_app sets no CPU limit by default): warned.
fn check_quota(config: &Value, diags: &mut Diagnostics) {
    let Some(quota) = config
        .attr("resource_quota")
        .filter(|v| !v.is_null() && !v.is_unknown())
    else {
        return;
    };
    let limits = config.attr("limit_range").filter(|v| !v.is_null());
    let text = |v: &Value, n: &str| v.attr(n).and_then(Value::as_str).map(str::to_owned);
    for resource in ["cpu", "memory"] {
        let (requests, limit) = (format!("requests_{resource}"), format!("limits_{resource}"));
        if let (Some(r), Some(l)) = (text(quota, &requests), text(quota, &limit))
            && let (Some(rq), Some(lq)) = (quantity::parse(&r), quantity::parse(&l))
            && rq > lq
        {
            diags.error_at(
                &AttributePath::attr("resource_quota").then_attr(&requests),
                "Quota Requests Above Limits",
                format!(
                    "resource_quota.{requests} ({r}) is above resource_quota.{limit} ({l}): a container's request is at \
                     most its limit, so the requests cap could never be reached. Lower it or raise the limits cap."
                ),
            );
        }
        // hub_app always sets requests, so only a limits cap is checked against a default.
        let (quota_attr, default_attr) = (&limit, format!("default_limit_{resource}"));
        {
            let capped = quota.attr(quota_attr).is_some_and(|v| !v.is_null());
            let defaulted =
                limits.is_some_and(|l| l.is_unknown() || l.attr(&default_attr).is_some_and(|v| !v.is_null()));
            if capped && !defaulted {
                diags.warning_at(
                    &AttributePath::attr("resource_quota").then_attr(quota_attr),
                    "Quota Without Default",
                    format!(
                        "With resource_quota.{quota_attr} set, Kubernetes refuses every pod whose containers do not set \
                         it, and limit_range.{default_attr} is not set to fill it in (hub_app sets no CPU limit unless \
                         resources.cpu_limit is set). Set limit_range.{default_attr}."
                    ),
                );
            }
        }
    }
}

/// `limit_range.low` must not be above `limit_range.high` when both are set.
fn check_order(limits: &Value, low: &str, high: &str, diags: &mut Diagnostics) {
    let text = |n: &str| limits.attr(n).and_then(Value::as_str);
    if let (Some(l), Some(h)) = (text(low), text(high))
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
    use super::*;

    fn errors(config: Value) -> Vec<String> {
        let mut d = Diagnostics::new();
        validate(&config, &mut d);
        d.0.into_iter().map(|d| d.detail).collect()
    }

    #[test]
    fn quota_requests_above_limits_are_refused_and_limits_without_default_warned() {
        let quota = Value::object([
            ("requests_cpu", Value::string("8")),
            ("limits_cpu", Value::string("4")),
            ("requests_memory", Value::Null),
            ("limits_memory", Value::Null),
        ]);
        let mut d = Diagnostics::new();
        validate(
            &Value::object([
                ("labels", Value::Null),
                ("resource_quota", quota),
                ("limit_range", Value::Null),
            ]),
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
        let labels = Value::Map(
            [(
                "pod-security.kubernetes.io/enforce".to_owned(),
                Value::string("privileged"),
            )]
            .into(),
        );
        let e = errors(Value::object([("labels", labels), ("limit_range", Value::Null)]));
        assert!(e[0].contains("pod_security"), "{e:?}");
        let limits = Value::object([
            ("default_request_cpu", Value::string("2")),
            ("default_limit_cpu", Value::string("1500m")),
            ("max_cpu", Value::Null),
            ("default_request_memory", Value::string("1Gi")),
            ("default_limit_memory", Value::string("2Gi")),
            ("max_memory", Value::string("1Gi")),
        ]);
        let e = errors(Value::object([("labels", Value::Null), ("limit_range", limits)]));
        assert_eq!(e.len(), 2, "{e:?}");
        assert!(e[0].starts_with("limit_range.default_request_cpu (2) is above limit_range.default_limit_cpu"));
        assert!(e[1].starts_with("limit_range.default_limit_memory (2Gi) is above limit_range.max_memory"));
    }
}
