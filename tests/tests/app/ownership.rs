//! Who owns what: drift on fields hub owns is detected and repaired; fields other managers own (HPA
//! replicas, injected env, foreign annotations) never show; objects made outside Terraform are adopted.

use hub_acceptance::sandbox::Scope;
use hub_acceptance::support::{expect, fixture_config, with_kube};
use hub_acceptance::tf::{self, Action, Step, TestCase, Workspace};
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::Service;
use kube::Api;
use kube::api::{DeleteParams, Patch, PatchParams};
use serde_json::json;

use super::{BASE, config, namespace_only};

/// Server-side-applies `patch` to the Deployment as `kubectl edit` would (taking the fields over), or
/// merge-patches the Service (which replaces its whole ports list, as editing the port does).
fn edit(ns: &str, kind: &'static str, patch: serde_json::Value) -> tf::Result<()> {
    let (n, what) = (ns.to_owned(), format!("{kind} edit {patch}"));
    with_kube(|c| async move {
        if kind == "Service" {
            let api = Api::<Service>::namespaced(c, &n);
            api.patch("api", &PatchParams::default(), &Patch::Merge(patch))
                .await
                .map(drop)
        } else {
            let api = Api::<Deployment>::namespaced(c, &n);
            api.patch("api", &PatchParams::apply("kubectl-edit").force(), &Patch::Apply(patch))
                .await
                .map(drop)
        }
    })
    .map_err(|e| tf::Error::assertion(format!("{what}: {e}")))
}

/// A Deployment apply patch with `spec` and `metadata`.
fn deployment(spec: serde_json::Value, meta: serde_json::Value) -> serde_json::Value {
    json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta, "spec": spec})
}

/// Drift on fields hub owns is planned back and repaired; foreign changes plan nothing.
#[test]
fn acc_app_drift_on_owned_fields_only() -> tf::Result<()> {
    let ns = Scope::new("app-drift").name("apps");
    let config = fixture_config("app/drift.tf", &[("namespace", &ns)]);
    let step = || Step::new(config.clone());
    let updates = |plan: &tf::Plan| {
        plan.resource_change("hub_app.api")?
            .expect_actions(&[Action::Update])
            .map(drop)
    };
    // Foreign changes: an annotation, a restart annotation: no diff.
    let foreign = {
        let ns = ns.clone();
        move || {
            let patch = json!({"metadata": {"annotations": {"someone/else": "x"}}, "spec": {"template": {"metadata": {"annotations": {"kubectl.kubernetes.io/restartedAt": "now"}}}}});
            let n = ns.clone();
            with_kube(|c| async move {
                Api::<Deployment>::namespaced(c, &n)
                    .patch("api", &PatchParams::default(), &Patch::Merge(&patch))
                    .await
            })
            .map(drop)
        }
    };
    // Owned fields changed by another manager (kubectl edit takes the field over): the image, a label, an
    // env value and the Service port, each detected and put back.
    let edits = [
        (
            "Deployment",
            deployment(
                json!({"template": {"spec": {"containers": [{"name": "api", "image": "evil:1"}]}}}),
                json!({"name": "api"}),
            ),
        ),
        (
            "Deployment",
            deployment(
                json!({}),
                json!({"name": "api", "labels": {"app.kubernetes.io/managed-by": "kubectl"}}),
            ),
        ),
        (
            "Deployment",
            deployment(
                json!({"template": {"spec": {"containers": [{"name": "api", "env": [{"name": "FEATURE", "value": "off"}]}]}}}),
                json!({"name": "api"}),
            ),
        ),
        (
            "Service",
            json!({"spec": {"ports": [{"name": "http", "port": 8081, "targetPort": "http", "protocol": "TCP"}]}}),
        ),
    ];
    let mut case = TestCase::new()
        .step(step())
        .step(step().pre_config(foreign).plan_check(|plan| plan.expect_empty()));
    for (kind, patch) in edits {
        let ns = ns.clone();
        case = case.step(
            step()
                .pre_config(move || edit(&ns, kind, patch.clone()))
                .plan_check(updates),
        );
    }
    // The Service deleted out of band: recreated by the next apply.
    let deleted = {
        let ns = ns.clone();
        move || {
            let n = ns.clone();
            with_kube(|c| async move {
                Api::<Service>::namespaced(c, &n)
                    .delete("api", &DeleteParams::default())
                    .await
                    .map(drop)
            })
        }
    };
    let recreated = move |_: &tf::State| {
        let n = ns.clone();
        let svc = with_kube(|c| async move { Api::<Service>::namespaced(c, &n).get_opt("api").await })?;
        expect(svc.is_some(), "Service recreated")
    };
    case.step(step().pre_config(deleted).plan_check(updates).check(recreated))
        .run(tf::opentofu()?)
}

/// With autoscaling on, hub does not own `spec.replicas`: the HPA's count and env injected by another
/// field manager never show as a diff, and survive hub's next update.
#[test]
fn acc_app_foreign_managers_never_show_as_diff() -> tf::Result<()> {
    let ns = Scope::new("app-foreign").name("apps");
    let config = |file: &str| fixture_config(&format!("app/{file}"), &[("namespace", &ns)]);
    let get = |ns: &str| {
        let n = ns.to_owned();
        with_kube(|c| async move { Api::<Deployment>::namespaced(c, &n).get("api").await })
    };
    // Created at min_replicas (not 1), with spec.replicas owned by a seeding manager, never by hub.
    let created = {
        let ns = ns.clone();
        move |_: &tf::State| {
            let created = get(&ns)?;
            let hub_owns_replicas = created.metadata.managed_fields.iter().flatten().any(|m| {
                m.manager.as_deref() == Some("hub")
                    && m.fields_v1
                        .as_ref()
                        .is_some_and(|f| f.0.pointer("/f:spec/f:replicas").is_some())
            });
            expect(
                created.spec.as_ref().and_then(|s| s.replicas) == Some(2) && !hub_owns_replicas,
                &format!("2 replicas not owned by hub: {:?}", created.metadata.managed_fields),
            )
        }
    };
    // The HPA scales to 5 and a webhook injects an env var, each as its own field manager.
    let foreign = {
        let ns = ns.clone();
        move || {
            let n = ns.clone();
            with_kube(|c| async move {
                let api = Api::<Deployment>::namespaced(c, &n);
                let deployment = |spec: serde_json::Value| json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "api"}, "spec": spec});
                let scaled = deployment(json!({"replicas": 5}));
                api.patch(
                    "api",
                    &PatchParams::apply("horizontal-pod-autoscaler").force(),
                    &Patch::Apply(scaled),
                )
                .await?;
                let env = json!({"name": "INJECTED_BY_WEBHOOK", "value": "1"});
                let injected = deployment(json!({"template": {"spec": {"containers": [{"name": "api", "env": [env]}]}}}));
                api.patch("api", &PatchParams::apply("sidecar-injector"), &Patch::Apply(injected))
                    .await
            })
            .map(drop)
        }
    };
    // hub's next update (a config change rolls the pods) leaves both alone.
    let kept = {
        let ns = ns.clone();
        move |_: &tf::State| {
            let spec = get(&ns)?.spec.unwrap_or_default();
            expect(
                spec.replicas == Some(5),
                &format!("the HPA's 5 replicas kept, got {:?}", spec.replicas),
            )?;
            let env = spec.template.spec.unwrap_or_default().containers[0]
                .env
                .clone()
                .unwrap_or_default();
            expect(
                env.iter().any(|e| e.name == "INJECTED_BY_WEBHOOK"),
                "the injected env var kept",
            )
        }
    };
    TestCase::new()
        .step(Step::new(config("autoscaled_1_info.tf")).check(created))
        .step(
            Step::new(config("autoscaled_1_info.tf"))
                .pre_config(foreign)
                .plan_check(|plan| plan.expect_empty()),
        )
        .step(Step::new(config("autoscaled_2_debug.tf")).check(kept))
        .run(tf::opentofu()?)
}

/// Objects another tool made (here: as Helm's field manager would) are imported and adopted in place: the
/// plan after import is an update, never a replace, and the objects keep their UIDs.
#[test]
fn acc_app_adopts_objects_made_outside_terraform() -> tf::Result<()> {
    let ns = Scope::new("app-adopt").name("apps");
    let ws = Workspace::new(tf::opentofu()?)?;
    // The namespace first, through hub; then the "Helm" objects beside it.
    ws.config(&namespace_only(&ns))?;
    ws.apply()?.ok()?;
    let labels = json!({"app.kubernetes.io/name": "api", "app.kubernetes.io/instance": "api"});
    let n = ns.clone();
    let uids = with_kube(|c| async move {
        let params = PatchParams::apply("helm");
        let deployment = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "api", "labels": labels},
            "spec": {"replicas": 1, "selector": {"matchLabels": labels}, "template": {"metadata": {"labels": labels},
            "spec": {"containers": [{"name": "api", "image": "hub-workload:0.9"}]}}}});
        let service = json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "api"},
            "spec": {"selector": labels, "ports": [{"name": "http", "port": 80, "targetPort": 8080}]}});
        let d = Api::<Deployment>::namespaced(c.clone(), &n)
            .patch("api", &params, &Patch::Apply(deployment))
            .await?;
        let s = Api::<Service>::namespaced(c, &n)
            .patch("api", &params, &Patch::Apply(service))
            .await?;
        Ok((d.metadata.uid, s.metadata.uid))
    })?;

    ws.config(&config(&ns, BASE))?;
    ws.import("hub_app.api", &format!("{ns}/api"))?.ok()?;
    let plan = ws.plan()?;
    plan.resource_change("hub_app.api")?.expect_actions(&[Action::Update])?;
    ws.apply_plan()?.ok()?;
    ws.plan()?.expect_empty()?;
    let n = ns.clone();
    let after = with_kube(|c| async move {
        let d = Api::<Deployment>::namespaced(c.clone(), &n).get("api").await?;
        let s = Api::<Service>::namespaced(c, &n).get("api").await?;
        Ok((d.metadata.uid, s.metadata.uid))
    })?;
    expect(
        after == uids,
        "the adopted objects kept their UIDs (updated in place, not recreated)",
    )?;
    ws.destroy()?.ok()?;
    Ok(())
}
