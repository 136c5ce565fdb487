//! Refresh of many `hub_app`s in one namespace: after a few GETs of a kind, the rest of that kind's reads
//! come from one shared LIST of hub's objects (`k8s/batch_read.rs`). Proves that this makes far fewer
//! requests than one GET per object, that the LIST stops once the refresh has its objects although the
//! namespace holds many more of hub's (another state's), and that it still sees every out-of-band change:
//! an owned field edited, an object deleted, and hub's label removed (which takes the object out of the
//! LIST, so it must be read on its own).
//!
//! Alone in its test binary: it counts the API server's requests, which every client adds to.

use hub_acceptance::api_requests::ApiRequests;
use hub_acceptance::app_kinds::APP_KINDS;
use hub_acceptance::sandbox::Scope;
use hub_acceptance::support::{expect, provider_block, with_kube};
use hub_acceptance::tf::{self, Action, Workspace};
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{ConfigMap, Service};
use kube::Api;
use kube::api::{DeleteParams, Patch, PatchParams};
use serde_json::{Value, json};

const APPS: usize = 8;

/// hub-labelled ConfigMaps of another state in the same namespace, named after this state's: a LIST read
/// to the end would take 10 more pages of them.
const OTHERS: usize = 200;

fn config(ns: &str) -> String {
    format!(
        r#"{}
resource "hub_namespace" "ns" {{
  name = {ns:?}
}}

resource "hub_app" "app" {{
  count           = {APPS}
  name            = "b-${{count.index}}"
  namespace       = hub_namespace.ns.name
  image           = "hub-workload:1.0"
  replicas        = 1
  config          = {{ MODE = "batch" }}
  force_conflicts = true
  rollout         = {{ wait = false }}
}}
"#,
        provider_block("")
    )
}

/// The `rendered` map of `hub_app.app[i]` before the plan's change (the refreshed state).
fn refreshed(plan: &tf::Plan, i: usize) -> tf::Result<serde_json::Map<String, Value>> {
    let change = plan.resource_change(&format!("hub_app.app[{i}]"))?;
    change.expect_actions(&[Action::Update])?;
    change.json()["change"]["before"]["rendered"]
        .as_object()
        .cloned()
        .ok_or_else(|| tf::Error::assertion(format!("hub_app.app[{i}] has no refreshed rendered map")))
}

#[test]
fn acc_app_refresh_of_many_apps_lists_once_and_still_sees_drift() -> tf::Result<()> {
    let cli = tf::opentofu()?;
    let ns = Scope::new("app-batch").name("apps");
    let ws = Workspace::new(cli)?;
    ws.config(&config(&ns))?;
    ws.apply()?.ok()?;
    let state = ws.state()?;
    let objects = state
        .resource("hub_app.app[0]")?
        .attr("rendered")
        .and_then(Value::as_object)
        .map_or(0, |m| m.len());
    expect(
        objects >= 4,
        "each app renders at least a Deployment, Service, ConfigMap and ServiceAccount",
    )?;

    let n = ns.clone();
    with_kube(|c| async move {
        let api = Api::<ConfigMap>::namespaced(c, &n);
        for i in 0..OTHERS {
            let other = json!({"apiVersion": "v1", "kind": "ConfigMap",
                "metadata": {"name": format!("z-other-{i:03}"), "labels": {"app.kubernetes.io/managed-by": "hub"}}});
            api.create(
                &Default::default(),
                &serde_json::from_value(other).map_err(kube::Error::SerdeError)?,
            )
            .await?;
        }
        Ok(())
    })?;

    let before = ApiRequests::now()?;
    ws.plan()?.expect_empty()?;
    let after = ApiRequests::now()?;
    // Every kind a `hub_app` can render, by the plural names the audit log uses.
    let kinds: Vec<&str> = APP_KINDS.iter().map(|k| k.plural).collect();
    let reads = after.reads(&kinds) - before.reads(&kinds);
    let config_map_reads = after.reads(&["configmaps"]) - before.reads(&["configmaps"]);
    expect(
        config_map_reads <= 5,
        &format!("{config_map_reads} ConfigMap reads: 3 GETs and one LIST page, not the other state's {OTHERS}"),
    )?;
    let one_get_each = (APPS * objects) as u64;
    eprintln!("refresh of {APPS} apps x {objects} objects: {reads} GET/LIST requests (one GET each: {one_get_each})");
    // Per kind: the GETs before the LIST (3) and one LIST page, plus a few for a controller's informer
    // that happens to re-list meanwhile (the counters cover every client).
    let batched = (objects * 4 + 4) as u64;
    expect(
        reads <= batched && batched < one_get_each,
        &format!("the refresh made {reads} reads for {one_get_each} objects (batched: at most {batched})"),
    )?;

    // Out of band, on every app: the image edited by another manager, the Service deleted, and hub's label
    // taken off the ConfigMap.
    let n = ns.clone();
    with_kube(|c| async move {
        for i in 0..APPS {
            let name = format!("b-{i}");
            let edit = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
                "spec": {"template": {"spec": {"containers": [{"name": name, "image": "evil:1"}]}}}});
            Api::<Deployment>::namespaced(c.clone(), &n)
                .patch(&name, &PatchParams::apply("kubectl-edit").force(), &Patch::Apply(edit))
                .await?;
            Api::<Service>::namespaced(c.clone(), &n)
                .delete(&name, &DeleteParams::default())
                .await?;
            let unlabel = json!({"metadata": {"labels": {"app.kubernetes.io/managed-by": null}}});
            Api::<ConfigMap>::namespaced(c.clone(), &n)
                .patch(
                    &format!("{name}-config"),
                    &PatchParams::default(),
                    &Patch::Merge(unlabel),
                )
                .await?;
        }
        Ok(())
    })?;

    let plan = ws.plan()?;
    for i in 0..APPS {
        let rendered = refreshed(&plan, i)?;
        let text = |key: &str| rendered.get(key).and_then(Value::as_str).unwrap_or_default().to_owned();
        expect(
            text(&format!("Deployment/b-{i}")).contains("evil:1"),
            &format!("app {i}: the edited image is seen"),
        )?;
        expect(
            !rendered.contains_key(&format!("Service/b-{i}")),
            &format!("app {i}: the deleted Service is seen as gone"),
        )?;
        let config_map = text(&format!("ConfigMap/b-{i}-config"));
        expect(
            !config_map.is_empty() && !config_map.contains("managed-by"),
            &format!("app {i}: the unlabelled ConfigMap is read and its missing label seen: {config_map}"),
        )?;
    }
    ws.apply()?.ok()?;
    ws.plan()?.expect_empty()?;
    ws.destroy()?.ok()?;
    Ok(())
}
