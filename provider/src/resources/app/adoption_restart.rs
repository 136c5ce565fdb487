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
use crate::diag::Diagnostics;
use crate::k8s;

/// How many differing paths a warning names.
const SHOWN: usize = 8;

/// Warnings for the Deployment among `objects` when `prior` is an import hub has not applied yet.
pub(super) async fn check(
    client: &Client,
    app: &AppModel,
    objects: &[Object],
    prior: Option<&AppModel>,
) -> Diagnostics {
    let mut diags = Diagnostics::new();
    if prior.is_none_or(|p| p.instance_id.get().is_some()) {
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
    let mut manifest = object.manifest.clone();
    ownership::stamp(&mut manifest, "planning", false);
    let what = format!("Deployment {ns}/{name}");
    match k8s::Apply::hub()
        .force(true)
        .dry_run()
        .send(&api, name, &manifest)
        .await
    {
        Ok(after) => {
            let (before, after) = (
                template(&serde_json::to_value(&live).unwrap_or_default()),
                template(&serde_json::to_value(&after).unwrap_or_default()),
            );
            let mut paths = Vec::new();
            differences("spec.template", &before, &after, &mut paths);
            if !paths.is_empty() {
                let more = paths.len().saturating_sub(SHOWN);
                paths.truncate(SHOWN);
                diags.warning(
                    "Adoption Restarts The Pods",
                    format!(
                        "{what}: hub's pod template differs from the running one in {}{}, so this apply rolls out \
                         new pods (a new ReplicaSet). To keep the running pods, make the configuration match the \
                         running template; otherwise apply when a rolling restart is acceptable.",
                        paths.join(", "),
                        if more > 0 {
                            format!(" and {more} more")
                        } else {
                            String::new()
                        }
                    ),
                );
            }
        }
        Err(k8s::Error::Invalid(status)) if status.message.contains("field is immutable") => {
            let running = live.data.pointer("/spec/selector").cloned().unwrap_or_default();
            diags.warning(
                "Adoption Replaces The Deployment",
                format!(
                    "{what}: its selector {running} cannot change in place to {:?}, so this apply deletes the \
                     Deployment and creates it again: every pod stops. Set pod_selector to the running selector's \
                     labels to keep it.",
                    render::selector(app)
                ),
            );
        }
        // Anything else is the preflight's to report.
        Err(_) => {}
    }
    diags
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
