//! What an import records of a live object in `rendered`, before hub has applied anything: the object as
//! the API server holds it, minus what must never reach state (a Secret's values, and the last-applied
//! annotation, which holds a client-side-applied object whole, Secret values included) and minus the
//! bookkeeping that hub never applies (managed fields, status, UID, versions, hub's own instance marks, and
//! the pod template checksum an earlier hub computed from secret values).

use serde_json::{Map, Value as Json};

use super::ownership::COMPLETE_ANNOTATION;
use super::render::{CHECKSUM_ANNOTATION, INSTANCE_ANNOTATION, MASKED};

const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";
const BOOKKEEPING: &[&str] = &[
    "managedFields",
    "resourceVersion",
    "uid",
    "creationTimestamp",
    "generation",
    "selfLink",
];

/// The imported view of `live`, a `kind` object.
pub(super) fn imported(kind: &str, mut live: Json) -> Json {
    let Some(object) = live.as_object_mut() else {
        return live;
    };
    object.remove("status");
    if let Some(meta) = object.get_mut("metadata").and_then(Json::as_object_mut) {
        for field in BOOKKEEPING {
            meta.remove(*field);
        }
        drop_annotations(meta, &[LAST_APPLIED, INSTANCE_ANNOTATION, COMPLETE_ANNOTATION]);
    }
    // A Deployment made by an earlier hub carries a checksum computed from its secret values.
    if let Some(meta) = object
        .get_mut("spec")
        .and_then(|spec| spec.get_mut("template"))
        .and_then(|template| template.get_mut("metadata"))
        .and_then(Json::as_object_mut)
    {
        drop_annotations(meta, &[CHECKSUM_ANNOTATION]);
    }
    if kind == "Secret" {
        let keys: Map<String, Json> = ["data", "stringData"]
            .into_iter()
            .filter_map(|field| object.remove(field))
            .filter_map(|values| values.as_object().map(|m| m.keys().cloned().collect::<Vec<_>>()))
            .flatten()
            .map(|key| (key, Json::String(MASKED.into())))
            .collect();
        if !keys.is_empty() {
            object.insert("stringData".into(), Json::Object(keys));
        }
    }
    live
}

fn drop_annotations(meta: &mut Map<String, Json>, keys: &[&str]) {
    if let Some(annotations) = meta.get_mut("annotations").and_then(Json::as_object_mut) {
        for key in keys {
            annotations.remove(*key);
        }
        if annotations.is_empty() {
            meta.remove("annotations");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_secret_keeps_its_keys_and_loses_its_values_everywhere() {
        let live = json!({
            "apiVersion": "v1", "kind": "Secret",
            "metadata": {"name": "api-secret", "uid": "u", "resourceVersion": "7",
                "annotations": {LAST_APPLIED: "{\"data\":{\"DB_PASSWORD\":\"aHVudGVyMg==\"}}", "team": "a"},
                "managedFields": [{"manager": "kubectl-client-side-apply"}]},
            "type": "Opaque",
            "data": {"DB_PASSWORD": "aHVudGVyMg=="},
            "stringData": {"API_TOKEN": "plain"},
        });
        let shown = imported("Secret", live);
        assert_eq!(
            shown,
            json!({"apiVersion": "v1", "kind": "Secret",
                "metadata": {"name": "api-secret", "annotations": {"team": "a"}},
                "type": "Opaque",
                "stringData": {"DB_PASSWORD": MASKED, "API_TOKEN": MASKED}})
        );
        let text = shown.to_string();
        assert!(!text.contains("aHVudGVyMg") && !text.contains("plain"), "{text}");
    }

    #[test]
    fn other_kinds_keep_their_content_without_bookkeeping() {
        let live = json!({"kind": "ConfigMap", "metadata": {"name": "c", "annotations": {INSTANCE_ANNOTATION: "x"}},
            "data": {"K": "v"}, "status": {}});
        assert_eq!(
            imported("ConfigMap", live),
            json!({"kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"K": "v"}})
        );
        let deployment = json!({"kind": "Deployment", "metadata": {"name": "d"},
            "spec": {"template": {"metadata": {"annotations": {CHECKSUM_ANNOTATION: "0123abcd", "team": "a"}}}}});
        assert_eq!(
            imported("Deployment", deployment),
            json!({"kind": "Deployment", "metadata": {"name": "d"},
                "spec": {"template": {"metadata": {"annotations": {"team": "a"}}}}})
        );
    }
}
