//! What a move promises: the Deployment the source state describes against hub's rendering of the app read
//! back from it. A setting hub has no attribute for refuses the move, naming it (the first apply would drop
//! it); a pod template hub renders differently is a warning, since that apply rolls the pods once.
//!
//! Both sides are flattened to leaves (`spec.template.spec.containers[api].image`), list entries by their
//! `name` where they have one. Values the API server fills in, and the zero values the kubernetes provider
//! writes for unset fields, are no settings.

use std::collections::BTreeMap;

use serde_json::Value as Json;

use super::super::api_defaults;
use super::super::render::CHECKSUM_ANNOTATION;

/// Leaves of an object by path.
type Leaves = BTreeMap<String, Json>;

/// Whether `value` at `path` is no setting: empty, a zero value, or what the API server fills in.
fn no_setting(path: &str, value: &Json) -> bool {
    let zero = match value {
        Json::Null => true,
        Json::Bool(b) => !b,
        Json::Number(n) => n.as_f64() == Some(0.0),
        Json::String(s) => s.is_empty(),
        Json::Array(a) => a.is_empty(),
        Json::Object(_) => false,
    };
    zero || api_defaults::filled_in(path, value)
}

/// The leaves of `value` under `path`: list entries by `name` when every entry has one, else by index;
/// lists of plain values are one leaf.
fn flatten(path: &str, value: &Json, out: &mut Leaves) {
    match value {
        Json::Object(map) if !map.is_empty() => {
            for (k, v) in map {
                let key = if k.chars().all(|c| c.is_ascii_alphanumeric()) {
                    format!("{path}.{k}")
                } else {
                    format!("{path}[{k:?}]")
                };
                flatten(key.trim_start_matches('.'), v, out);
            }
        }
        Json::Array(items) if items.iter().any(Json::is_object) => {
            let named = items.iter().all(|i| i.get("name").and_then(Json::as_str).is_some());
            for (i, item) in items.iter().enumerate() {
                let key = match item.get("name").and_then(Json::as_str) {
                    Some(n) if named => n.to_owned(),
                    _ => i.to_string(),
                };
                let entry = format!("{path}[{key}]");
                flatten(&entry, item, out);
                // The key already says it.
                if named {
                    out.remove(&format!("{entry}.name"));
                }
            }
        }
        _ => {
            out.insert(path.to_owned(), value.clone());
        }
    }
}

/// Object bookkeeping, never a setting: the server's and the Deployment controller's.
const BOOKKEEPING: &[&str] = &[
    "metadata.uid",
    "metadata.resourceVersion",
    "metadata.generation",
    "metadata.creationTimestamp",
    "metadata.selfLink",
    "metadata.managedFields",
    "metadata.annotations[\"deployment.kubernetes.io/revision\"]",
    "status",
];

fn leaves(object: &Json) -> Leaves {
    let mut out = Leaves::new();
    flatten("", object, &mut out);
    out.retain(|path, v| !no_setting(path, v) && !BOOKKEEPING.iter().any(|b| path.starts_with(b)));
    out
}

/// What the first apply after the move does to the Deployment.
#[derive(Debug, Default, PartialEq)]
pub(super) struct Findings {
    /// Settings of the source that hub cannot express (they would be dropped): `path = value`.
    pub inexpressible: Vec<String>,
    /// Pod template fields hub sets differently or adds: `path: before → after`.
    pub template_changes: Vec<String>,
    /// A different selector: immutable, so the Deployment could only be replaced.
    pub selector: Option<(Json, Json)>,
}

/// The pod template's config checksum: hub computes it from the app's ConfigMap, Secret and IAM role too,
/// which a move (the Deployment alone) cannot see, so its value is known only once the plan after the move
/// has read them. Only its absence from the source is a certain change.
fn checksum_path() -> String {
    format!("spec.template.metadata.annotations[{CHECKSUM_ANNOTATION:?}]")
}

/// Compares the source's Deployment with hub's rendering of it.
pub(super) fn compare(source: &Json, rendered: &Json) -> Findings {
    let (mut before, mut after) = (leaves(source), leaves(rendered));
    let checksum = checksum_path();
    let unsettled = before.remove(&checksum).is_some();
    let renders_one = after.remove(&checksum).is_some();
    let mut findings = Findings::default();
    if source.pointer("/spec/selector") != rendered.pointer("/spec/selector") {
        findings.selector = Some((
            source.pointer("/spec/selector").cloned().unwrap_or_default(),
            rendered.pointer("/spec/selector").cloned().unwrap_or_default(),
        ));
    }
    for (path, value) in &before {
        match after.get(path) {
            None => findings.inexpressible.push(format!("{path} = {value}")),
            Some(now) if now != value && path.starts_with("spec.template") => {
                findings.template_changes.push(format!("{path}: {value} → {now}"));
            }
            Some(_) => {}
        }
    }
    for (path, value) in &after {
        if path.starts_with("spec.template") && !before.contains_key(path) {
            findings.template_changes.push(format!("{path}: (unset) → {value}"));
        }
    }
    if renders_one && !unsettled {
        findings.template_changes.push(format!(
            "{checksum}: (unset) → set (its value is in the plan's rendered Deployment)"
        ));
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn deployment(container: Json, pod: Json) -> Json {
        let mut spec = json!({"containers": [container]});
        if let (Some(s), Some(extra)) = (spec.as_object_mut(), pod.as_object()) {
            s.extend(extra.clone());
        }
        json!({"metadata": {"name": "api", "uid": "x"}, "spec": {"selector": {"matchLabels": {"a": "b"}},
            "template": {"metadata": {"labels": {"a": "b"}}, "spec": spec}}})
    }

    #[test]
    fn defaults_and_zero_values_are_no_settings() {
        let source = deployment(
            json!({"name": "api", "image": "i:1", "imagePullPolicy": "IfNotPresent", "stdin": false,
                "ports": [{"containerPort": 8080, "protocol": "TCP", "hostPort": 0}],
                "readinessProbe": {"httpGet": {"path": "/", "port": 8080, "scheme": "HTTP"}, "timeoutSeconds": 1},
                "volumeMounts": [{"name": "tmp", "mountPath": "/tmp", "mountPropagation": "None"}]}),
            json!({"dnsPolicy": "ClusterFirst", "hostNetwork": false}),
        );
        let rendered = deployment(
            json!({"name": "api", "image": "i:1", "ports": [{"containerPort": 8080}],
                "readinessProbe": {"httpGet": {"path": "/", "port": 8080}},
                "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}]}),
            json!({}),
        );
        assert_eq!(compare(&source, &rendered), Findings::default());
    }

    #[test]
    fn settings_hub_lacks_are_named_and_template_changes_listed() {
        let source = deployment(
            json!({"name": "api", "image": "i:1"}),
            json!({"hostNetwork": true, "containers": [{"name": "api", "image": "i:1"}, {"name": "proxy", "image": "p:2"}]}),
        );
        let rendered = deployment(
            json!({"name": "api", "image": "i:2", "securityContext": {"runAsUser": 10001}}),
            json!({}),
        );
        let f = compare(&source, &rendered);
        assert_eq!(
            f.inexpressible,
            vec![
                "spec.template.spec.containers[proxy].image = \"p:2\"".to_owned(),
                "spec.template.spec.hostNetwork = true".to_owned(),
            ]
        );
        assert_eq!(
            f.template_changes,
            vec![
                "spec.template.spec.containers[api].image: \"i:1\" → \"i:2\"".to_owned(),
                "spec.template.spec.containers[api].securityContext.runAsUser: (unset) → 10001".to_owned(),
            ]
        );
        assert!(f.selector.is_none());
    }

    #[test]
    fn a_different_selector_is_found() {
        let source = json!({"spec": {"selector": {"matchLabels": {"app": "api"}}}});
        let rendered = json!({"spec": {"selector": {"matchLabels": {"app.kubernetes.io/name": "api"}}}});
        assert!(compare(&source, &rendered).selector.is_some());
    }
}
