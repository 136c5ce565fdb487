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
