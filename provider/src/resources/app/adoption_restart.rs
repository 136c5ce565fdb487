//! The first plan after an import says whether hub's apply restarts the adopted app's pods. A Deployment
//! another tool made rarely has hub's pod template (hub adds its hardening, its `/tmp` volume and the config
//! checksum), and every template change rolls out a new ReplicaSet; a selector that is not hub's cannot
//! change at all, so the Deployment is replaced. Both are visible in `rendered` and `replacements`, but a
//! reviewer approving an adoption must not have to find them there.

use kube::Client;
use serde_json::Value as Json;

use super::model::AppModel;
use super::ownership;
use super::reconcile::api;
use super::render::{self, Object};
use super::takeover::Takers;
use crate::diag::Diagnostics;
use crate::k8s;
use kube::api::DynamicObject;

/// How many differing paths a warning names.
const SHOWN: usize = 8;

/// Warnings for the Deployment among `objects` when `prior` is an import hub has not applied yet, or when
/// `adopt_from_helm` takes Helm's fields.
pub(super) async fn check(
    client: &Client,
    app: &AppModel,
    objects: &[Object],
    prior: Option<&AppModel>,
) -> Diagnostics {
    let mut diags = Diagnostics::new();
    let imported = prior.is_some_and(|p| p.instance_id.get().is_none());
    let from_helm = prior.is_some() && app.adopt_from_helm.value().unwrap_or(false);
    if !imported && !from_helm {
        return diags;
    }
    let Some(object) = objects.iter().find(|o| o.key.starts_with("Deployment/")) else {
        return diags;
    };
    let (ns, name) = (app.namespace(), app.name());
    let api = api(client, ns, "Deployment");
    let Ok(Some(live)) = k8s::get(&api, name, "Deployment").await else {
        return diags;
    };
    // Applied in the running order (see `live_order`) without hub's pod defaults.
    let mut manifest = if app.hub_pod_defaults() {
        object.manifest.clone()
    } else {
        super::live_order::aligned(&object.manifest, &serde_json::to_value(&live).unwrap_or_default())
    };
    ownership::stamp(&mut manifest, "planning", false);
    let what = format!("Deployment {ns}/{name}");
    // The dry-run cannot take another tool's fields first (see `takeover`): those hub's template does not
    // set are removed by the apply.
    let takers = Takers {
        tools: imported && app.force_conflicts.value().unwrap_or(false),
        helm: from_helm,
    };
    let removed = taken_and_unset(takers, &live, &manifest);
    let mut changed = Vec::new();
    if imported {
        match k8s::Apply::hub()
            .force(true)
            .dry_run()
            .send(&api, name, &manifest)
            .await
        {
            Ok(after) => differences(
                "spec.template",
                &template(&serde_json::to_value(&live).unwrap_or_default()),
                &template(&serde_json::to_value(&after).unwrap_or_default()),
                &mut changed,
            ),
            Err(k8s::Error::Invalid(status)) if status.message.contains("field is immutable") => {
                let running = live.data.pointer("/spec/selector").cloned().unwrap_or_default();
                diags.warning(
                    "Adoption Replaces The Deployment",
                    format!(
                        "{what}: its selector {running} cannot change in place to {:?}, so this apply deletes the \
                         Deployment and creates it again: every pod stops. Set pod_selector to the running \
                         selector's labels to keep it.",
                        render::selector(app)
                    ),
                );
                return diags;
            }
            // Anything else is the preflight's to report.
            Err(_) => return diags,
        }
    }
    if !changed.is_empty() {
        let more = changed.len().saturating_sub(SHOWN);
        changed.truncate(SHOWN);
        diags.warning(
            "Adoption Restarts The Pods",
            format!(
                "{what}: hub's pod template differs from the running one in {}{}, so this apply rolls out new \
                 pods (a new ReplicaSet). To keep the running pods, make the configuration match the running \
                 template (`pod_defaults = \"none\"` renders only what the configuration sets); otherwise \
                 apply when a rolling restart is acceptable.",
                changed.join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            ),
        );
    } else if !removed.is_empty() {
        diags.warning(
            "Adoption May Restart The Pods",
            format!(
                "{what}: the apply takes these pod template fields from the tool that set them and removes them, \
                 as the configuration does not set them: {}. Unless the API server fills in the same values \
                 again, the pods roll (a new ReplicaSet).",
                removed.join(", ")
            ),
        );
    }
    diags
}

/// The pod template fields that the managers `takers` takes over set and `manifest` does not, as
/// `spec.template.…` paths with the manager.
fn taken_and_unset(takers: Takers, live: &DynamicObject, manifest: &Json) -> Vec<String> {
    let version = manifest["apiVersion"].as_str().unwrap_or("apps/v1");
    let mut out = Vec::new();
    for entry in live.metadata.managed_fields.iter().flatten() {
        let manager = entry.manager.as_deref().unwrap_or_default();
        let main = entry.subresource.as_deref().is_none_or(str::is_empty);
        if !(main && takers.takes(manager) && entry.api_version.as_deref() == Some(version)) {
            continue;
        }
        let Some(fields) = entry.fields_v1.as_ref().and_then(|f| f.0.pointer("/f:spec/f:template")) else {
            continue;
        };
        let mut paths = Vec::new();
        let running = live.data.pointer("/spec/template").unwrap_or(&Json::Null);
        unset("spec.template", fields, &template(manifest), running, &mut paths);
        out.extend(paths.into_iter().map(|p| format!("{p} ({manager})")));
    }
    out
}

/// The paths under `fields` (a `fieldsV1` tree) that `manifest` does not set, except those whose `live`
/// value the API server fills in again once they are let go.
fn unset(path: &str, fields: &Json, manifest: &Json, live: &Json, out: &mut Vec<String>) {
    let Some(children) = fields.as_object() else { return };
    for (key, child) in children {
        if let Some(name) = key.strip_prefix("f:") {
            let here = format!("{path}.{name}");
            let running = live.get(name).unwrap_or(&Json::Null);
            match manifest.get(name) {
                Some(m) => unset(&here, child, m, running, out),
                None if refilled(&here, name, running, live) => {}
                None => out.push(here),
            }
        } else if let Some(selector) = key.strip_prefix("k:") {
            let Ok(Json::Object(wanted)) = serde_json::from_str::<Json>(selector) else {
                continue;
            };
            let find = |list: &Json| {
                list.as_array()
                    .into_iter()
                    .flatten()
                    .find(|item| wanted.iter().all(|(k, v)| item.get(k) == Some(v)))
                    .cloned()
            };
            match find(manifest) {
                Some(m) => unset(
                    &format!("{path}[{selector}]"),
                    child,
                    &m,
                    &find(live).unwrap_or_default(),
                    out,
                ),
                None => out.push(format!("{path}[{selector}]")),
            }
        } else if let Some(value) = key.strip_prefix("v:") {
            let present = serde_json::from_str::<Json>(value)
                .is_ok_and(|v| manifest.as_array().is_some_and(|items| items.contains(&v)));
            if !present {
                out.push(format!("{path}[{value}]"));
            }
        }
    }
}

/// Whether the API server gives `value` back to the field `name` at `path` of `parent` once it is unset:
/// a default, the image's pull policy, or `serviceAccount` (the old name of `serviceAccountName`).
fn refilled(path: &str, name: &str, value: &Json, parent: &Json) -> bool {
    match name {
        "serviceAccount" => parent.get("serviceAccountName") == Some(value),
        "imagePullPolicy" => {
            let image = parent.get("image").and_then(Json::as_str).unwrap_or_default();
            let tag = image
                .rsplit('/')
                .next()
                .and_then(|last| last.split_once(':'))
                .map(|(_, t)| t);
            let default = if image.contains('@') || tag.is_some_and(|t| t != "latest") {
                "IfNotPresent"
            } else {
                "Always"
            };
            value.as_str() == Some(default)
        }
        _ => super::api_defaults::filled_in(path, value),
    }
}

fn template(deployment: &Json) -> Json {
    deployment.pointer("/spec/template").cloned().unwrap_or_default()
}

/// The paths (dotted, list items by index) where `a` and `b` differ, down to where one side is not an object.
fn differences(path: &str, a: &Json, b: &Json, out: &mut Vec<String>) {
    match (a, b) {
        (Json::Object(x), Json::Object(y)) => {
            let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            for key in keys {
                let (l, r) = (x.get(key).unwrap_or(&Json::Null), y.get(key).unwrap_or(&Json::Null));
                differences(&format!("{path}.{key}"), l, r, out);
            }
        }
        (Json::Array(x), Json::Array(y)) if x.len() == y.len() => {
            for (i, (l, r)) in x.iter().zip(y).enumerate() {
                differences(&format!("{path}[{i}]"), l, r, out);
            }
        }
        _ if a != b => out.push(path.to_owned()),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::differences;
    use serde_json::json;

    #[test]
    fn fields_a_manager_set_that_the_manifest_does_not_are_named() {
        let fields = json!({"f:metadata": {"f:labels": {".": {}, "f:app": {}, "f:helm.sh/chart": {}}},
            "f:spec": {"f:containers": {"k:{\"name\":\"api\"}": {"f:image": {}, "f:imagePullPolicy": {}}},
                "f:finalizers": {"v:\"x\"": {}}}});
        let manifest = json!({"metadata": {"labels": {"app": "a"}},
            "spec": {"containers": [{"name": "api", "image": "i:1"}], "finalizers": ["y"]}});
        let mut paths = Vec::new();
        super::unset("t", &fields, &manifest, &json!({}), &mut paths);
        assert_eq!(
            paths,
            [
                "t.metadata.labels.helm.sh/chart",
                "t.spec.containers[{\"name\":\"api\"}].imagePullPolicy",
                "t.spec.finalizers[\"x\"]"
            ]
        );
    }

    #[test]
    fn fields_the_api_server_fills_in_again_are_not_named() {
        let fields = json!({"f:spec": {"f:dnsPolicy": {}, "f:serviceAccount": {}, "f:serviceAccountName": {},
            "f:containers": {"k:{\"name\":\"api\"}": {"f:image": {}, "f:imagePullPolicy": {},
                "f:livenessProbe": {"f:httpGet": {"f:path": {}, "f:scheme": {}}, "f:successThreshold": {}}}}}});
        let manifest = json!({"spec": {"serviceAccountName": "api", "containers": [{"name": "api", "image": "i:1",
            "livenessProbe": {"httpGet": {"path": "/health"}}}]}});
        let running = |pull: &str| {
            json!({"spec": {"dnsPolicy": "ClusterFirst", "serviceAccount": "api", "serviceAccountName": "api",
                "containers": [{"name": "api", "image": "i:1", "imagePullPolicy": pull,
                    "livenessProbe": {"httpGet": {"path": "/health", "scheme": "HTTP"}, "successThreshold": 1}}]}})
        };
        let mut paths = Vec::new();
        super::unset(
            "spec.template",
            &fields,
            &manifest,
            &running("IfNotPresent"),
            &mut paths,
        );
        assert!(paths.is_empty(), "{paths:?}");
        // `Always` is not what a tagged image gets by default: letting go of it changes the pods.
        super::unset("spec.template", &fields, &manifest, &running("Always"), &mut paths);
        assert_eq!(
            paths,
            ["spec.template.spec.containers[{\"name\":\"api\"}].imagePullPolicy"]
        );
    }

    #[test]
    fn differences_name_the_leaves_that_changed() {
        let before =
            json!({"metadata": {"labels": {"a": "1"}}, "spec": {"containers": [{"name": "api", "image": "x:1"}]}});
        let after = json!({"metadata": {"labels": {"a": "1"}, "annotations": {"hub.io/config-checksum": "c"}},
            "spec": {"containers": [{"name": "api", "image": "x:1", "securityContext": {"runAsUser": 1}}]}});
        let mut paths = Vec::new();
        differences("t", &before, &after, &mut paths);
        assert_eq!(
            paths,
            ["t.metadata.annotations", "t.spec.containers[0].securityContext"]
        );
        let mut none = Vec::new();
        differences("t", &before, &before, &mut none);
        assert!(none.is_empty());
    }
}
