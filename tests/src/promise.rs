//! "The plan is a promise", checked field by field: the live objects of every `hub_app` a saved plan
//! changes are read before and after applying it, and the fields that changed on the cluster must be
//! exactly the fields the plan's `rendered` showed changing: nothing the plan did not show (a field hub
//! never set, a foreign label), nothing it showed left undone. Objects the plan replaces (`replacements`)
//! must come back with a new UID; every other object keeps its UID. A claim planned away that the plan
//! warned it keeps ("Claim Kept") must stay, without hub's instance mark.
//!
//! Fields the API server or controllers maintain (status, versions, managed fields, the Deployment's
//! revision, hub's own bookkeeping annotations) are not compared, and neither are Secret values, which the
//! plan masks. Values are never printed, only paths.

use std::collections::{BTreeMap, BTreeSet};

use kube::api::{ApiResource, DynamicObject, GroupVersionKind};
use serde_json::Value as Json;

use crate::support::{expect, with_kube};
use crate::tf::{self, Plan};

/// The live objects of the apps a plan touches, by `address` then `Kind/name`.
pub struct Snapshot(BTreeMap<String, BTreeMap<String, Option<Json>>>);

/// What the plan says about one `hub_app`: its namespace and the rendered manifests before and after.
struct Planned {
    namespace: String,
    before: BTreeMap<String, Json>,
    after: BTreeMap<String, Json>,
    replaced: BTreeSet<String>,
    /// Imported and not yet applied by hub: `before` is the whole live object, server defaults included,
    /// so a field missing from `after` is not a promise to remove it (the server defaults it again).
    imported: bool,
}

fn manifests(v: Option<&Json>) -> BTreeMap<String, Json> {
    v.and_then(Json::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(k, t)| Some((k.clone(), serde_json::from_str(t.as_str()?).ok()?)))
        .collect()
}

fn planned_apps(plan: &Plan) -> BTreeMap<String, Planned> {
    let mut out = BTreeMap::new();
    for rc in plan.resource_changes() {
        let raw = rc.json();
        // An app whose rendered objects are unknown at plan promises nothing checkable field by field.
        if raw["type"] != "hub_app" || rc.is_unknown("rendered") {
            continue;
        }
        let namespace = rc
            .after("namespace")
            .or_else(|| rc.before("namespace"))
            .and_then(Json::as_str)
            .unwrap_or_default()
            .to_owned();
        let imported = rc.before("rendered").is_some() && rc.before("instance_id").is_none_or(Json::is_null);
        let replaced = rc
            .after("replacements")
            .and_then(Json::as_object)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        out.insert(
            rc.address.to_owned(),
            Planned {
                namespace,
                before: manifests(rc.before("rendered")),
                after: manifests(rc.after("rendered")),
                replaced,
                imported,
            },
        );
    }
    out
}

fn api_resource(manifest: &Json) -> ApiResource {
    let version = manifest["apiVersion"].as_str().unwrap_or("v1");
    let (group, version) = version.split_once('/').unwrap_or(("", version));
    let kind = manifest["kind"].as_str().unwrap_or_default();
    ApiResource::from_gvk(&GroupVersionKind::gvk(group, version, kind))
}

/// Reads every object the plan's apps render (before or after), as they are now.
pub fn snapshot(plan: &Plan) -> tf::Result<Snapshot> {
    let apps = planned_apps(plan);
    let mut out = BTreeMap::new();
    for (address, app) in apps {
        let mut objects = BTreeMap::new();
        for (key, manifest) in app.before.iter().chain(app.after.iter()) {
            let name = key.split_once('/').map_or("", |(_, n)| n).to_owned();
            let (ns, ar) = (app.namespace.clone(), api_resource(manifest));
            let live = with_kube(|c| async move {
                kube::Api::<DynamicObject>::namespaced_with(c, &ns, &ar)
                    .get_opt(&name)
                    .await
            })?;
            objects.insert(key.clone(), live.map(|o| serde_json::to_value(o).unwrap_or_default()));
        }
        out.insert(address, objects);
    }
    Ok(Snapshot(out))
}

/// Leaf paths where `a` and `b` differ (`/`-separated, lists by index).
fn diff(a: &Json, b: &Json, path: String, out: &mut BTreeSet<String>) {
    match (a, b) {
        // A map that appears or goes is compared key by key, as if it had been empty.
        (Json::Object(_), Json::Null) => diff(a, &Json::Object(Default::default()), path, out),
        (Json::Null, Json::Object(_)) => diff(&Json::Object(Default::default()), b, path, out),
        (Json::Object(x), Json::Object(y)) => {
            for key in x.keys().chain(y.keys()).collect::<BTreeSet<_>>() {
                let here = format!("{path}/{}", key.replace('~', "~0").replace('/', "~1"));
                diff(
                    x.get(key).unwrap_or(&Json::Null),
                    y.get(key).unwrap_or(&Json::Null),
                    here,
                    out,
                );
            }
        }
        (Json::Array(x), Json::Array(y)) => {
            for i in 0..x.len().max(y.len()) {
                diff(
                    x.get(i).unwrap_or(&Json::Null),
                    y.get(i).unwrap_or(&Json::Null),
                    format!("{path}/{i}"),
                    out,
                );
            }
        }
        _ if a != b => {
            out.insert(path);
        }
        _ => {}
    }
}

/// Paths the cluster maintains, or hub's bookkeeping: never part of the promise. A Deployment's
/// `spec.replicas` is the autoscaler's when hub does not render it.
fn maintained(path: &str, old: &Json, new: &Json) -> bool {
    if path == "/spec/replicas" && old["spec"].get("replicas").is_none() && new["spec"].get("replicas").is_none() {
        return true;
    }
    const PREFIXES: &[&str] = &[
        "/status",
        "/metadata/resourceVersion",
        "/metadata/generation",
        "/metadata/managedFields",
        "/metadata/uid",
        "/metadata/creationTimestamp",
        "/metadata/annotations/deployment.kubernetes.io~1revision",
        "/metadata/annotations/hub.io~1instance",
        "/metadata/annotations/hub.io~1secret-revision",
        "/data/",
        "/stringData/",
    ];
    PREFIXES.iter().any(|p| path.starts_with(p))
}

/// Whether `path` lies inside a list element the plan adds (`new` has it, `old` has no element at that
/// index): the API server fills in its defaults (a container's `imagePullPolicy`), which come with it.
fn in_added_element(path: &str, old: &Json, new: &Json) -> bool {
    let mut prefix = String::new();
    for part in path.split('/').skip(1) {
        let parent = prefix.clone();
        prefix = format!("{prefix}/{part}");
        let in_list = new.pointer(&parent).is_some_and(Json::is_array);
        if in_list && old.pointer(&prefix).is_none() && new.pointer(&prefix).is_some() {
            return true;
        }
    }
    false
}

/// Whether the plan warned that it keeps claim `key` (`PersistentVolumeClaim/name`) with its data.
fn kept_claim(plan: &Plan, namespace: &str, key: &str) -> bool {
    let Some(name) = key.strip_prefix("PersistentVolumeClaim/") else {
        return false;
    };
    let named = format!("{namespace}/{name} ");
    let volume_left = format!("PersistentVolumeClaim {name} ");
    plan.diagnostics.0.iter().any(|d| {
        d.severity == tf::Severity::Warning
            && d.summary == "Claim Kept"
            && (d.detail.contains(&named) || d.detail.contains(&volume_left))
    })
}

/// Checks, for every app the plan changes, that the cluster changed exactly as the plan showed.
pub fn expect_applied_as_planned(plan: &Plan, before: &Snapshot, after: &Snapshot) -> tf::Result<()> {
    for (address, app) in planned_apps(plan) {
        let empty = BTreeMap::new();
        let was = before.0.get(&address).unwrap_or(&empty);
        let now = after.0.get(&address).unwrap_or(&empty);
        let keys: BTreeSet<&String> = app.before.keys().chain(app.after.keys()).collect();
        for key in keys {
            let what = format!("{address}: {key}");
            let (live_was, live_now) = (was.get(key).cloned().flatten(), now.get(key).cloned().flatten());
            let uid = |o: &Option<Json>| o.as_ref().map(|o| o["metadata"]["uid"].clone());
            match (app.before.get(key), app.after.get(key)) {
                // A claim the plan said it keeps (its data) stays, released: no longer marked as hub's.
                (_, None) if kept_claim(plan, &app.namespace, key) => expect(
                    live_now
                        .as_ref()
                        .is_some_and(|o| o.pointer("/metadata/annotations/hub.io~1instance").is_none()),
                    &format!("{what}: planned away and said kept, and kept without hub's mark"),
                )?,
                (_, None) => expect(live_now.is_none(), &format!("{what}: planned away, and gone"))?,
                (None, Some(_)) => expect(live_now.is_some(), &format!("{what}: planned, and created"))?,
                (Some(_), Some(_)) if app.replaced.contains(key) => expect(
                    live_now.is_some() && uid(&live_now) != uid(&live_was),
                    &format!("{what}: planned as a replacement, and created again (new UID)"),
                )?,
                (Some(old), Some(new)) => {
                    expect(
                        live_was.is_none() || uid(&live_now) == uid(&live_was),
                        &format!("{what}: updated in place (same UID)"),
                    )?;
                    let mut promised = BTreeSet::new();
                    diff(old, new, String::new(), &mut promised);
                    promised.retain(|p| !maintained(p, old, new));
                    let mut done = BTreeSet::new();
                    if let (Some(a), Some(b)) = (&live_was, &live_now) {
                        diff(a, b, String::new(), &mut done);
                    }
                    done.retain(|p| !maintained(p, old, new));
                    let unshown: Vec<&String> = done
                        .difference(&promised)
                        .filter(|p| !in_added_element(p, old, new))
                        .collect();
                    let undone: Vec<&String> = promised
                        .difference(&done)
                        .filter(|p| !app.imported || new.pointer(p).is_some())
                        .collect();
                    expect(
                        unshown.is_empty() && (live_was.is_none() || undone.is_empty()),
                        &format!(
                            "{what}: apply changed exactly the fields the plan showed; changed but not shown: \
                             {unshown:?}; shown but not changed: {undone:?}"
                        ),
                    )?;
                }
            }
        }
    }
    Ok(())
}

/// Applies the workspace's saved plan, checking it with [`expect_applied_as_planned`].
pub fn apply_as_planned(ws: &tf::Workspace, plan: &Plan) -> tf::Result<tf::Output> {
    let before = snapshot(plan)?;
    let out = ws.apply_plan()?;
    let after = snapshot(plan)?;
    expect_applied_as_planned(plan, &before, &after)?;
    Ok(out)
}
