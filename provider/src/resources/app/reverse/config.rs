//! `config` with its ConfigMap's name and mount path, and the Secret's name (never its values).

use serde_json::Value as Json;

use super::super::model::AppModel;
use super::live::{self, Live};
use crate::k8s::labels::MANAGED_BY;
use crate::value::Tf;

/// The name of the app's own object (`configMapRef` or `secretRef`) among a container's `envFrom`
/// entries. hub renders its own without `optional`, and every `env_from` entry with it (read by
/// `env_refs`), so an object the app only reads is never taken for its own.
fn own_ref(container: &Json, field: &str) -> Option<String> {
    container
        .get("envFrom")?
        .as_array()?
        .iter()
        .filter_map(|e| e.get(field))
        .filter(|r| r.get("optional").is_none())
        .find_map(|r| r.get("name")?.as_str().map(str::to_owned))
}

fn env_from(live: &Live, field: &str) -> Option<String> {
    own_ref(live.container()?, field)
}

/// `name` unless it is the default for the app (null then, as the configuration would be).
fn unless_default(name: Option<String>, default: &str) -> Tf<String> {
    Tf::from_option(name.filter(|n| n != default))
}

/// `config`, `config_map_name`, `config_mount_path`. Without hub's pod defaults the app's ConfigMap is the
/// one the import found for it, referenced or not.
pub(super) fn config(live: &Live, app: &mut AppModel) {
    let found = live
        .object("ConfigMap")
        .and_then(|cm| cm.pointer("/metadata/name"))
        .and_then(Json::as_str);
    let own = if app.hub_pod_defaults() {
        env_from(live, "configMapRef")
    } else {
        found.map(str::to_owned)
    };
    let Some(name) = own else {
        return;
    };
    app.config_map_name = unless_default(Some(name.clone()), &format!("{}-config", live.name));
    if let Some(cm) = live.object("ConfigMap") {
        app.config = live::user_map(live::string_map(cm.get("data")));
    }
    app.config_mount_path = live::string(
        live.container()
            .and_then(|c| c.get("volumeMounts"))
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
            .find(|m| m.get("name").and_then(Json::as_str) == Some("config"))
            .and_then(|m| m.get("mountPath")),
    );
}

/// Whether hub made `object` (its manager label).
pub(super) fn made_by_hub(object: &Json) -> bool {
    object.pointer("/metadata/labels/app.kubernetes.io~1managed-by") == Some(&Json::from(MANAGED_BY.1))
}

/// `secret_name`; `secret_env_wo` is write-only and stays null (the values are in `UNREADABLE`).
/// Without hub's pod defaults the app's Secret is one hub made (its values cannot be read, so adopting
/// another tool's would delete it at the first apply); another one stays outside, read through `env_from`.
pub(super) fn secret_name(live: &Live, app: &mut AppModel) {
    let own = if app.hub_pod_defaults() {
        env_from(live, "secretRef")
    } else {
        live.object("Secret")
            .filter(|s| made_by_hub(s))
            .and_then(|s| s.pointer("/metadata/name")?.as_str().map(str::to_owned))
    };
    app.secret_name = unless_default(own, &format!("{}-secret", live.name));
    app.secret_env_wo = Tf::Null;
}

/// The object name the Deployment refers to for `field` (`configMapRef`, `secretRef`), for the import
/// to find custom-named objects.
pub(crate) fn referenced(deployment: &Json, field: &str) -> Option<String> {
    deployment
        .pointer("/spec/template/spec/containers")?
        .as_array()?
        .iter()
        .find_map(|c| own_ref(c, field))
}
