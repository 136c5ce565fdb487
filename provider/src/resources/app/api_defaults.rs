//! What the API server fills in for a Deployment's fields left unset: such a value in a live object is no
//! setting of whoever wrote it, and comes back by itself when a field manager lets go of it.

use serde_json::Value as Json;

/// `(path suffix, value)`: what the API server fills in when a field is unset. A `*` segment is any entry.
const API_DEFAULTS: &[(&str, &str)] = &[
    ("spec.progressDeadlineSeconds", "600"),
    ("spec.revisionHistoryLimit", "10"),
    ("spec.strategy.type", "\"RollingUpdate\""),
    ("spec.template.spec.dnsPolicy", "\"ClusterFirst\""),
    ("spec.template.spec.restartPolicy", "\"Always\""),
    ("spec.template.spec.schedulerName", "\"default-scheduler\""),
    ("spec.template.spec.enableServiceLinks", "true"),
    ("terminationMessagePath", "\"/dev/termination-log\""),
    ("terminationMessagePolicy", "\"File\""),
    ("Probe.timeoutSeconds", "1"),
    ("Probe.periodSeconds", "10"),
    ("Probe.successThreshold", "1"),
    ("Probe.failureThreshold", "3"),
    ("httpGet.scheme", "\"HTTP\""),
    ("ports[*].protocol", "\"TCP\""),
    ("volumeMounts[*].mountPropagation", "\"None\""),
    ("configMap.defaultMode", "420"),
    ("secret.defaultMode", "420"),
    ("topologySpreadConstraints[*].nodeAffinityPolicy", "\"Honor\""),
    ("topologySpreadConstraints[*].nodeTaintsPolicy", "\"Ignore\""),
];

/// Whether the API server fills in `value` at `path` (dotted, list entries in brackets) when the field is
/// unset.
pub(super) fn filled_in(path: &str, value: &Json) -> bool {
    let image_pull_default =
        path.ends_with(".imagePullPolicy") && matches!(value.as_str(), Some("IfNotPresent" | "Always"));
    image_pull_default
        || API_DEFAULTS
            .iter()
            .any(|(suffix, v)| matches(path, suffix) && serde_json::from_str::<Json>(v).is_ok_and(|d| d == *value))
}

/// Whether `path` ends with `suffix`, a `*` in the suffix standing for any list entry key.
fn matches(path: &str, suffix: &str) -> bool {
    let generic: String = {
        let mut out = String::new();
        let mut depth = 0;
        for c in path.chars() {
            match c {
                '[' => {
                    depth += 1;
                    out.push_str("[*");
                }
                ']' => {
                    depth -= 1;
                    out.push(']');
                }
                _ if depth > 0 => {}
                _ => out.push(c),
            }
        }
        out
    };
    generic.ends_with(suffix)
}
