//! `moved { from = kubernetes_deployment_v1.api  to = hub_app.api }`: a Deployment the kubernetes provider
//! manages becomes a `hub_app` without a replacement. The source state is turned back into the Deployment
//! object it stands for, and the app is read back from it with import's reverse render. The moved state
//! keeps no `rendered` objects, so the plan's refresh is exactly the read after an import: it finds the
//! app's Service, ServiceAccount, ConfigMap, Secret, HPA, PDB and Ingress in the cluster (dropped from state
//! with `removed { lifecycle { destroy = false } }`) and the first apply adopts them in place.
//!
//! A setting of the Deployment that hub has no attribute for refuses the move, naming it; a pod template
//! that hub renders differently is a warning (the first apply rolls the pods once).

mod check;
mod sdk;
#[cfg(test)]
mod tests;

use serde_json::Value as Json;

use super::model::AppModel;
use super::render::{self, CHECKSUM_ANNOTATION};
use super::reverse::{self, Live};
use crate::diag::Diagnostics;
use crate::framework::MoveSource;
use crate::value::Tf;

/// The provider whose resources can be moved to `hub_app`, as `namespace/type` (any registry host).
const PROVIDER: &str = "hashicorp/kubernetes";

/// Reads the Deployment out of a source type's state; `Err` says why it cannot.
type Reader = fn(&Json) -> Result<Json, String>;

/// The source types a move accepts, with how each stores its Deployment.
const SOURCES: &[(&str, Reader)] = &[
    ("kubernetes_deployment_v1", sdk::deployment),
    ("kubernetes_deployment", sdk::deployment),
    ("kubernetes_manifest", manifest),
];

/// The supported sources, for the refusal of any other.
fn supported() -> String {
    let names: Vec<String> = SOURCES.iter().map(|(t, _)| format!("`{t}`")).collect();
    format!(
        "{} (of {PROVIDER}; `kubernetes_manifest` only for an apps/v1 Deployment)",
        names.join(", ")
    )
}

/// A `kubernetes_manifest`'s Deployment: its `manifest` (what the user wrote), else its `object`. Both are
/// dynamic values, stored as `{"value": …, "type": …}`.
fn manifest(state: &Json) -> Result<Json, String> {
    let unwrap = |v: &Json| {
        v.get("value")
            .filter(|_| v.get("type").is_some())
            .cloned()
            .unwrap_or(v.clone())
    };
    let object = ["manifest", "object"]
        .iter()
        .filter_map(|k| state.get(*k).map(unwrap))
        .find(|o| o.is_object())
        .ok_or("it holds no `manifest`")?;
    let (api_version, kind) = (object["apiVersion"].as_str(), object["kind"].as_str());
    if (api_version, kind) != (Some("apps/v1"), Some("Deployment")) {
        return Err(format!(
            "its manifest is a {} {}, not an apps/v1 Deployment",
            api_version.unwrap_or("(no apiVersion)"),
            kind.unwrap_or("(no kind)")
        ));
    }
    Ok(without_nulls(object).unwrap_or_default())
}

/// `object` records every field of the type, unset ones as null (an unset struct as one of nulls): both
/// are left out. An empty object written as such (`emptyDir: {}`) stays.
fn without_nulls(v: Json) -> Option<Json> {
    match v {
        Json::Null => None,
        Json::Object(map) if !map.is_empty() => {
            let kept: serde_json::Map<String, Json> = map
                .into_iter()
                .filter_map(|(k, v)| without_nulls(v).map(|v| (k, v)))
                .collect();
            (!kept.is_empty()).then_some(Json::Object(kept))
        }
        Json::Array(items) => Some(Json::Array(items.into_iter().filter_map(without_nulls).collect())),
        other => Some(other),
    }
}

/// The Deployment the source state describes, with its namespace and name; `None` (with the error) when
/// the source is not one hub can move from.
pub(super) fn source_deployment(source: &MoveSource, diags: &mut Diagnostics) -> Option<(String, String, Json)> {
    let read = SOURCES
        .iter()
        .find(|(t, _)| *t == source.type_name)
        .filter(|_| source.provider_source() == PROVIDER)
        .map(|(_, read)| read);
    let Some(read) = read else {
        diags.error(
            "Unsupported Move Source",
            format!(
                "hub_app can be moved to only from {}; {} of {} is not one of them. To bring any other app \
                 under hub, import it: `import {{ to = hub_app.<name>, id = \"<namespace>/<name>\" }}`.",
                supported(),
                source.type_name,
                source.provider_address
            ),
        );
        return None;
    };
    let deployment = read(&source.state)
        .map_err(|why| {
            diags.error(
                "Unreadable Move Source",
                format!("The state of {} cannot be moved to hub_app: {why}.", source.type_name),
            );
        })
        .ok()?;
    let field = |f: &str| deployment.pointer(&format!("/metadata/{f}")).and_then(Json::as_str);
    let (Some(ns), Some(name)) = (field("namespace").or(Some("default")), field("name")) else {
        diags.error(
            "Unreadable Move Source",
            format!(
                "The state of {} names no Deployment (no metadata.name).",
                source.type_name
            ),
        );
        return None;
    };
    Some((ns.to_owned(), name.to_owned(), deployment))
}

/// The app a Deployment describes, on top of the import skeleton for its `namespace/name`: read back as an
/// import reads it, with no `rendered` objects, so the next refresh reads the whole app as after an import.
pub(super) fn app(skeleton: AppModel, deployment: &Json, diags: &mut Diagnostics) -> Option<AppModel> {
    let live = Live::new(
        skeleton.name(),
        skeleton.namespace(),
        [("Deployment".to_owned(), deployment.clone())],
    );
    let read = reverse::reverse(&live);
    let key = format!("Deployment/{}", read.name());
    let rendered = render::objects(&read, &read, 0)
        .into_iter()
        .find(|o| o.key == key)
        .map(|o| o.manifest)
        .unwrap_or_default();
    let findings = check::compare(deployment, &rendered);
    let name = read.name();
    if let Some((theirs, hubs)) = &findings.selector {
        diags.error(
            "Deployment Selector Differs",
            format!(
                "The Deployment {name} selects its pods by {theirs}; a hub_app selects them by {hubs}. A \
                 Deployment's selector cannot change, so the move would replace it. Keep it under the kubernetes \
                 provider, or recreate it with hub."
            ),
        );
    }
    if !findings.inexpressible.is_empty() {
        diags.error(
            "Deployment Settings hub_app Cannot Express",
            format!(
                "The Deployment {name} has settings no hub_app attribute stands for, which hub's first apply \
                 would drop:\n  {}\nRemove them under the kubernetes provider first (apply that), then move.",
                findings.inexpressible.join("\n  ")
            ),
        );
    }
    if !findings.template_changes.is_empty() {
        diags.warning(
            "Pods Roll Once After The Move",
            format!(
                "hub renders the pod template of {name} differently from the kubernetes provider, so the first apply \
                 after the move starts a new ReplicaSet:\n  {}\nWrite these into the kubernetes configuration (and \
                 apply it) before the move to adopt the running pods as they are. The pod template's \
                 {CHECKSUM_ANNOTATION} annotation also depends on the app's ConfigMap, Secret and IAM role, which \
                 the plan after the move reads: check that plan's Deployment before applying it.",
                findings.template_changes.join("\n  ")
            ),
        );
    }
    if diags.has_errors() {
        return None;
    }
    Some(AppModel {
        rendered: Tf::Null,
        // Set by the next refresh from the live Deployment, as after an import.
        instance_id: Tf::Null,
        id: skeleton.id,
        delete_timeout: skeleton.delete_timeout,
        ..read
    })
}
