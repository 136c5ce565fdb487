//! What apply will meet, found at plan: every object the plan changes (or adopts) is applied with
//! server-side dry-run, so conflicts with other field managers, immutable fields, admission and quotas show
//! in the plan instead of failing the apply. An object whose change touches an immutable field is planned
//! as a replacement (`replacements`); anything else the API server would refuse fails the plan. Unchanged
//! objects are not sent, so a plan with no changes makes no calls.

use std::collections::BTreeMap;

use futures_util::future::join_all;
use kube::Client;
use serde_json::Value as Json;

use crate::diag::Diagnostics;
use crate::k8s;

use super::conflicts::{self, Verdict};
use super::model::AppModel;
use super::ownership;
use super::reconcile::api;
use super::render::{self, Object};
use super::service_ports;
use super::takeover;

/// The plan's findings.
#[derive(Debug, Default)]
pub(super) struct Findings {
    /// Objects apply must delete and create again, by `Kind/name`, with the reason.
    pub replacements: BTreeMap<String, String>,
    /// Warnings (fields taken back) and errors (what apply would be refused).
    pub diags: Diagnostics,
}

/// The objects whose manifest differs from what hub last applied (new ones included). On create, only
/// when existing objects are being adopted. Secrets are left out: their values must not travel at plan,
/// and nothing in a Secret hub renders is immutable.
fn changed<'a>(objects: &'a [Object], prior: Option<&AppModel>, adopt: bool) -> Vec<&'a Object> {
    let Some(prior) = prior else {
        return if adopt {
            objects.iter().filter(|o| !o.key.starts_with("Secret/")).collect()
        } else {
            Vec::new()
        };
    };
    let before = prior.rendered.get();
    objects
        .iter()
        .filter(|o| !o.key.starts_with("Secret/"))
        .filter(|o| match before.and_then(|b| b.get(&o.key)) {
            None => true,
            // The same text is the same manifest; a different text (another hub version's key order) is
            // compared as JSON.
            Some(text) if *text == render::shown(o) => false,
            Some(text) => serde_json::from_str::<Json>(text)
                .ok()
                .is_none_or(|old| old != o.manifest),
        })
        .collect()
}

/// Dry-runs the changed objects among `objects`, rendered from `app` (the planned state), against the
/// cluster.
pub(super) async fn check(client: &Client, app: &AppModel, objects: &[Object], prior: Option<&AppModel>) -> Findings {
    let adopt = app.adopt_existing.value().unwrap_or(false);
    let force = app.force_conflicts.value().unwrap_or(false);
    let from_helm = app.adopt_from_helm.value().unwrap_or(false);
    // Fields count as hub's only where a hub_app applied them (an instance id); an imported app's fields
    // were applied by whoever made it.
    let owned_before = prior
        .filter(|p| p.instance_id.get().is_some())
        .and_then(|p| p.rendered.get());
    let instance = prior.and_then(|p| p.instance_id.as_deref()).unwrap_or("planning");
    let checks = changed(objects, prior, adopt).into_iter().map(|object| {
        let before = owned_before
            .as_ref()
            .and_then(|m| m.get(&object.key))
            .and_then(|t| serde_json::from_str::<Json>(t).ok());
        dry_run(client, app.namespace(), object, instance, before, force, from_helm)
    });
    let mut findings = Findings::default();
    for (key, replaced, diags) in join_all(checks).await {
        match replaced {
            // A claim is never replaced: its data would go with it.
            Some(reason) if key.starts_with("PersistentVolumeClaim/") => findings.diags.error(
                "Claim Cannot Be Replaced",
                format!("{key}: {reason}; hub never deletes a claim's data to apply a change. Keep its settings as they were."),
            ),
            Some(reason) => {
                findings.replacements.insert(key, reason);
            }
            None => {}
        }
        findings.diags.extend(diags);
    }
    findings
}

pub(super) async fn dry_run(
    client: &Client,
    ns: &str,
    object: &Object,
    instance: &str,
    applied_before: Option<Json>,
    force: bool,
    from_helm: bool,
) -> (String, Option<String>, Diagnostics) {
    let (kind, name) = object.key.split_once('/').unwrap_or((&object.key, ""));
    let api = api(client, ns, kind);
    let mut manifest = object.manifest.clone();
    ownership::stamp(&mut manifest, instance, false);
    let mut diags = Diagnostics::new();
    let what = format!("{kind} {ns}/{name}");
    if !force && let Err(err) = k8s::Apply::hub().dry_run().send(&api, name, &manifest).await {
        // Helm's fields are taken over before the apply when asked, from its entry of the manifest's version
        // (see `takeover`): only then are its conflicts no refusal.
        let taken = from_helm && helm_entry(&api, name, &manifest).await;
        let held: Vec<_> = conflicts::of(&err)
            .into_iter()
            .filter(|c| !(taken && c.manager == takeover::HELM))
            .collect();
        match conflicts::judge(held, applied_before.as_ref()) {
            Verdict::TakeBack(c) if c.is_empty() => {}
            Verdict::TakeBack(c) => diags.warning(
                "Fields Changed Outside Terraform Are Taken Back",
                format!(
                    "{what}: {} changed fields hub applied before; apply sets them back to the configuration and \
                     hub holds them again.",
                    conflicts::describe(&c)
                ),
            ),
            Verdict::Foreign(c) => diags.error(
                "Field Owned By Another Manager",
                format!(
                    "{what}: applying it would take fields hub never applied from another field manager: {}. \
                     Remove them from the configuration, or set force_conflicts = true to take them over.",
                    conflicts::describe(&c)
                ),
            ),
        }
    }
    // Forced, so that immutability, admission and quotas are judged even where fields conflict.
    let forced = k8s::Apply::hub().force(true).dry_run();
    let taken_back = force || applied_before.is_some();
    let replaced = match forced.send(&api, name, &manifest).await {
        Ok(_) => None,
        // Apply takes the ports list back (see `service_ports`) when it may.
        Err(e) if service_ports::collide(kind, &e) && taken_back => {
            diags.warning(
                "Fields Changed Outside Terraform Are Taken Back",
                format!("{what}: its ports were changed outside Terraform; apply replaces them with hub's."),
            );
            None
        }
        Err(e) if service_ports::collide(kind, &e) => {
            diags.error(
                "Service Port Changed Outside Terraform",
                format!(
                    "{what}: a port entry another tool made collides with hub's. Set force_conflicts = true to let \
                     hub replace the Service's ports."
                ),
            );
            None
        }
        Err(k8s::Error::Invalid(status)) if immutable(&status).is_some() => immutable(&status).map(|fields| {
            format!("{fields} cannot change in place (immutable): apply deletes the {kind} and creates it again")
        }),
        Err(e) => {
            diags.extend(e.diagnostics(&format!("Checking {what} (server-side dry-run)")));
            diags.error(
                "Apply Would Fail",
                format!(
                    "The API server refused a dry-run of {what}, so the apply would fail the same way (above). \
                     Fix the configuration, or the cluster, and plan again."
                ),
            );
            None
        }
    };
    (object.key.clone(), replaced, diags)
}

/// Whether the live `name` has a field entry of Helm's for `manifest`'s API version (the one a takeover
/// merges; Helm may have written another version before the cluster was upgraded).
async fn helm_entry(api: &kube::Api<kube::api::DynamicObject>, name: &str, manifest: &Json) -> bool {
    let version = manifest["apiVersion"].as_str().unwrap_or("v1");
    let Ok(Some(live)) = api.get_metadata_opt(name).await else {
        return false;
    };
    live.metadata
        .managed_fields
        .iter()
        .flatten()
        .any(|e| e.manager.as_deref() == Some(takeover::HELM) && e.api_version.as_deref() == Some(version))
}

/// The fields named immutable by a 422, when every cause is immutability (anything else is a real error).
fn immutable(status: &kube::core::Status) -> Option<String> {
    let causes: Vec<_> = status.details.iter().flat_map(|d| d.causes.iter()).collect();
    let all = !causes.is_empty() && causes.iter().all(|c| c.message.contains("field is immutable"));
    if all {
        let mut fields: Vec<&str> = causes.iter().map(|c| c.field.as_str()).collect();
        fields.dedup();
        Some(fields.join(", "))
    } else if causes.is_empty() && status.message.contains("field is immutable") {
        Some("a field".into())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_immutability_makes_a_replacement() {
        let status = |causes: Json| -> kube::core::Status {
            serde_json::from_value(json!({"code": 422, "message": "Deployment.apps \"api\" is invalid",
                "details": {"causes": causes}}))
            .unwrap()
        };
        let selector = json!([{"reason": "FieldValueInvalid", "field": "spec.selector",
            "message": "Invalid value: ...: field is immutable"}]);
        assert_eq!(immutable(&status(selector)), Some("spec.selector".into()));
        let mixed = json!([
            {"reason": "FieldValueInvalid", "field": "spec.selector", "message": "Invalid value: field is immutable"},
            {"reason": "FieldValueRequired", "field": "spec.template.spec.containers[0].image", "message": "Required value"}
        ]);
        assert_eq!(immutable(&status(mixed)), None);
    }
}
