//! Taking a Service's ports back after `kubectl edit`: always when hub applied the Service before (its
//! ports were hub's), otherwise only with `force_conflicts`.

use kube::Api;
use kube::api::{DynamicObject, Patch, PatchParams};
use serde_json::Value as Json;

use crate::k8s::{self, labels::FIELD_MANAGER};

/// Whether a refused apply of `kind` is a Service port entry colliding with a foreign one.
pub(super) fn collide(kind: &str, err: &k8s::Error) -> bool {
    matches!(err, k8s::Error::Invalid(s) if kind == "Service" && s.message.contains("Duplicate value"))
}

/// `kubectl edit` of a Service port leaves an entry that server-side apply cannot remove (another manager
/// owns it), so hub's list collides with it (a duplicate port name). With `force_conflicts`, hub takes the
/// list back: one strategic merge patch deletes the foreign entries by their merge key (`port`) and puts
/// hub's in, so the Service stays valid throughout; the apply that follows owns them again.
pub(super) async fn replace_foreign(api: &Api<DynamicObject>, name: &str, desired: &Json) -> bool {
    let Ok(live) = api.get(name).await else { return false };
    let key = |p: &Json| (p["port"].as_i64(), p["protocol"].as_str().unwrap_or("TCP").to_owned());
    let wanted: Vec<Json> = desired["spec"]["ports"].as_array().cloned().unwrap_or_default();
    let wanted_keys: Vec<_> = wanted.iter().map(key).collect();
    let live_ports = live.data["spec"]["ports"].as_array().cloned().unwrap_or_default();
    let mut ports: Vec<Json> = live_ports
        .iter()
        .filter(|p| !wanted_keys.contains(&key(p)))
        .map(|p| serde_json::json!({"port": p["port"], "$patch": "delete"}))
        .collect();
    if ports.is_empty() {
        return false;
    }
    ports.extend(wanted);
    let patch = serde_json::json!({"spec": {"ports": ports}});
    let params = PatchParams {
        field_manager: Some(FIELD_MANAGER.into()),
        ..Default::default()
    };
    api.patch(name, &params, &Patch::Strategic(&patch)).await.is_ok()
}
