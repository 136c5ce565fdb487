//! The plan is a promise: an imported Deployment whose immutable selector differs plans as a replacement
//! and apply replaces exactly it; an apply that fails halfway keeps every object it made in state, so
//! destroy leaves nothing; fields hub applied before and someone changed (`kubectl edit`, `label`,
//! `patch`) are taken back by a plain apply, with the plan saying so, while a field hub never applied is
//! left to its manager unless `force_conflicts`. Every apply is checked field by field against the plan
//! (`hub_acceptance::promise`).

use hub_acceptance::promise;
use hub_acceptance::sandbox::Scope;
use hub_acceptance::support::{expect, with_kube};
use hub_acceptance::tf::{self, Action, DiagMatch, Workspace};
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{ConfigMap, ResourceQuota, Service};
use k8s_openapi::api::policy::v1::PodDisruptionBudget;
use kube::Api;
use kube::api::{ApiResource, DynamicObject, GroupVersionKind, ListParams, Patch, PatchParams, PostParams};
use serde_json::{Value as Json, json};

use super::{BASE, config, namespace_only};

/// `BASE` without `force_conflicts`: conflicts are judged by hub's rule.
fn unforced() -> String {
    BASE.replace("  force_conflicts = true\n", "")
}

/// The UIDs of the app's Deployment and Service.
fn uids(ns: &str) -> tf::Result<(Option<String>, Option<String>)> {
    let ns = ns.to_owned();
    with_kube(|c| async move {
        let d = Api::<Deployment>::namespaced(c.clone(), &ns).get("api").await?;
        let s = Api::<Service>::namespaced(c, &ns).get("api").await?;
        Ok::<_, kube::Error>((d.metadata.uid, s.metadata.uid))
    })
}

/// Objects of any kind hub_app renders that still carry the app's labels.
fn leftovers(ns: &str) -> tf::Result<Vec<String>> {
    let ns = ns.to_owned();
    with_kube(|c| async move {
        let by_label = ListParams::default().labels("app.kubernetes.io/name=api");
        let mut out = Vec::new();
        for d in Api::<Deployment>::namespaced(c.clone(), &ns).list(&by_label).await? {
            out.push(format!("Deployment/{}", d.metadata.name.unwrap_or_default()));
        }
        for s in Api::<Service>::namespaced(c.clone(), &ns).list(&by_label).await? {
            out.push(format!("Service/{}", s.metadata.name.unwrap_or_default()));
        }
        for m in Api::<ConfigMap>::namespaced(c.clone(), &ns).list(&by_label).await? {
            out.push(format!("ConfigMap/{}", m.metadata.name.unwrap_or_default()));
        }
        for p in Api::<PodDisruptionBudget>::namespaced(c, &ns).list(&by_label).await? {
            out.push(format!("PodDisruptionBudget/{}", p.metadata.name.unwrap_or_default()));
        }
        Ok::<_, kube::Error>(out)
    })
}

/// A Deployment and Service made the way `kubectl apply` (client-side) makes them, selecting `app: api`.
fn kubectl_apply(ns: &str) -> tf::Result<(Option<String>, Option<String>)> {
    let ns = ns.to_owned();
    with_kube(|c| async move {
        let params = PostParams {
            field_manager: Some("kubectl-client-side-apply".into()),
            ..PostParams::default()
        };
        let labels = json!({"app": "api"});
        let deployment = json!({"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "api", "labels": labels,
                "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{\"kind\":\"Deployment\"}"}},
            "spec": {"replicas": 1, "selector": {"matchLabels": labels}, "template": {"metadata": {"labels": labels},
                "spec": {"containers": [{"name": "api", "image": "hub-workload:0.9"}]}}}});
        let service = json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "api", "labels": labels},
            "spec": {"selector": labels, "ports": [{"name": "http", "port": 80, "targetPort": 8080}]}});
        let d = Api::<Deployment>::namespaced(c.clone(), &ns)
            .create(
                &params,
                &serde_json::from_value(deployment).map_err(kube::Error::SerdeError)?,
            )
            .await?;
        let s = Api::<Service>::namespaced(c, &ns)
            .create(
                &params,
                &serde_json::from_value(service).map_err(kube::Error::SerdeError)?,
            )
            .await?;
        Ok::<_, kube::Error>((d.metadata.uid, s.metadata.uid))
    })
}

/// Import over objects made by client-side `kubectl apply` with another selector: without
/// `force_conflicts` the plan refuses, naming the manager; with it, the Deployment (immutable selector) is
/// planned as a replacement with the reason, and apply replaces it and only it; the Service, updated in
/// place, loses the old selector key (its fields became hub's), so it selects hub's pods.
#[test]
fn acc_app_import_with_foreign_selector_plans_a_replacement() -> tf::Result<()> {
    tf::for_each_cli(|cli| {
        let ns = Scope::new("app-promise-import").name("apps");
        let ws = Workspace::new(cli)?;
        ws.config(&namespace_only(&ns))?;
        ws.apply()?.ok()?;
        let (deployment, service) = kubectl_apply(&ns)?;

        ws.config(&config(&ns, &unforced()))?;
        ws.import("hub_app.api", &format!("{ns}/api"))?.ok()?;
        let out = ws.plan_err()?;
        out.diagnostics().expect(
            &DiagMatch::error()
                .summary("Field Owned By Another Manager")
                .detail("kubectl-client-side-apply"),
        )?;

        ws.config(&config(&ns, BASE))?;
        let plan = ws.plan()?;
        let rc = plan.resource_change("hub_app.api")?;
        rc.expect_actions(&[Action::Update])?;
        let replacements = rc.after("replacements").cloned().unwrap_or_default();
        expect(
            replacements["Deployment/api"]
                .as_str()
                .is_some_and(|r| r.contains("spec.selector") && r.contains("immutable")),
            &format!("the plan shows the Deployment replaced, with the reason: {replacements}"),
        )?;
        expect(
            replacements.get("Service/api").is_none(),
            "the Service is updated in place",
        )?;
        promise::apply_as_planned(&ws, &plan)?;
        let (d, s) = uids(&ns)?;
        expect(d != deployment, "the Deployment was created again (new UID)")?;
        expect(s == service, "the Service kept its UID")?;
        let n = ns.clone();
        let selector = with_kube(|c| async move { Api::<Service>::namespaced(c, &n).get("api").await })?
            .spec
            .and_then(|s| s.selector)
            .unwrap_or_default();
        expect(
            !selector.contains_key("app") && selector.get("app.kubernetes.io/name").map(String::as_str) == Some("api"),
            &format!("the Service selects hub's pods only: {selector:?}"),
        )?;
        ws.plan()?.expect_empty()?;
        ws.destroy()?.ok()?;
        let left = leftovers(&ns)?;
        expect(left.is_empty(), &format!("destroy left nothing: {left:?}"))
    })
}

/// Refuses the creation of PodDisruptionBudgets in `ns` at write time only (a ValidatingAdmissionPolicy
/// that lets dry-runs through, as a webhook that ignores dry-runs would), and waits until it is in force.
fn refuse_pdbs_at_write(ns: &str) -> tf::Result<()> {
    let ns = ns.to_owned();
    with_kube(|c| async move {
        let policy = json!({"apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingAdmissionPolicy",
            "metadata": {"name": format!("{ns}-no-pdbs")},
            "spec": {"failurePolicy": "Fail",
                "matchConstraints": {"resourceRules": [{"apiGroups": ["policy"], "apiVersions": ["v1"],
                    "operations": ["CREATE"], "resources": ["poddisruptionbudgets"]}]},
                "validations": [{"expression": "request.dryRun == true",
                    "message": "no-pdbs: PodDisruptionBudgets are refused in this namespace"}]}});
        let binding = json!({"apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingAdmissionPolicyBinding",
            "metadata": {"name": format!("{ns}-no-pdbs")},
            "spec": {"policyName": format!("{ns}-no-pdbs"), "validationActions": ["Deny"],
                "matchResources": {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": ns}}}}});
        let params = PatchParams::apply("test").force();
        for (kind, body) in [
            ("ValidatingAdmissionPolicy", policy),
            ("ValidatingAdmissionPolicyBinding", binding),
        ] {
            let gvk = GroupVersionKind::gvk("admissionregistration.k8s.io", "v1", kind);
            let api = Api::<DynamicObject>::all_with(c.clone(), &ApiResource::from_gvk(&gvk));
            let name = body["metadata"]["name"].as_str().unwrap_or_default().to_owned();
            api.patch(&name, &params, &Patch::Apply(&body)).await?;
        }
        // In force once a probe is refused (a probe that got through is removed again).
        let pdbs = Api::<PodDisruptionBudget>::namespaced(c, &ns);
        let probe: PodDisruptionBudget = serde_json::from_value(json!({"metadata": {"name": "probe"},
            "spec": {"minAvailable": 1, "selector": {"matchLabels": {"probe": "yes"}}}}))
        .map_err(kube::Error::SerdeError)?;
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        loop {
            match pdbs.create(&PostParams::default(), &probe).await {
                Err(kube::Error::Api(s)) if s.message.contains("no-pdbs") => return Ok(()),
                Err(e) => return Err(e),
                Ok(_) => {
                    pdbs.delete("probe", &Default::default()).await?;
                    assert!(
                        std::time::Instant::now() < deadline,
                        "the admission policy never took effect"
                    );
                    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
                }
            }
        }
    })
}

fn allow_pdbs(ns: &str) -> tf::Result<()> {
    let ns = ns.to_owned();
    with_kube(|c| async move {
        for kind in ["ValidatingAdmissionPolicyBinding", "ValidatingAdmissionPolicy"] {
            let gvk = GroupVersionKind::gvk("admissionregistration.k8s.io", "v1", kind);
            let api = Api::<DynamicObject>::all_with(c.clone(), &ApiResource::from_gvk(&gvk));
            api.delete(&format!("{ns}-no-pdbs"), &Default::default()).await?;
        }
        Ok::<_, kube::Error>(())
    })
}

/// What the plan's dry-run finds fails the plan (a quota that refuses the new PodDisruptionBudget); what
/// only the real write meets (an admission policy that lets dry-runs through) fails the apply halfway,
/// and then the ConfigMap that apply had already made is in state, so destroy removes it.
#[test]
fn acc_app_failed_apply_leaves_nothing_outside_state() -> tf::Result<()> {
    tf::for_each_cli(|cli| {
        let ns = Scope::new("app-promise-half").name("apps");
        let ws = Workspace::new(cli)?;
        let v1 = "  image = \"hub-workload:1.0\"\n  replicas = 2\n";
        ws.config(&config(&ns, v1))?;
        ws.apply()?.ok()?;
        ws.config(&config(
            &ns,
            &format!("{v1}  config = {{ LOG_LEVEL = \"info\" }}\n  disruption_budget = {{ min_available = \"1\" }}\n"),
        ))?;
        let n = ns.clone();
        with_kube(|c| async move {
            let quota = json!({"apiVersion": "v1", "kind": "ResourceQuota", "metadata": {"name": "no-pdbs"},
                "spec": {"hard": {"count/poddisruptionbudgets.policy": "0"}}});
            Api::<ResourceQuota>::namespaced(c, &n)
                .create(
                    &PostParams::default(),
                    &serde_json::from_value(quota).map_err(kube::Error::SerdeError)?,
                )
                .await
                .map(drop)
        })?;
        ws.plan_err()?.diagnostics().expect(
            &DiagMatch::error()
                .summary("Apply Would Fail")
                .detail("PodDisruptionBudget"),
        )?;
        let n = ns.clone();
        with_kube(|c| async move {
            Api::<ResourceQuota>::namespaced(c, &n)
                .delete("no-pdbs", &Default::default())
                .await
                .map(drop)
        })?;

        refuse_pdbs_at_write(&ns)?;
        let failed = ws.apply_err().and_then(|out| {
            out.diagnostics()
                .expect(&DiagMatch::error().detail("no-pdbs"))
                .map(drop)
        });
        allow_pdbs(&ns)?;
        failed?;
        let state = ws.state()?;
        let rendered = state
            .resource("hub_app.api")?
            .attr("rendered")
            .cloned()
            .unwrap_or_default();
        expect(
            rendered.get("ConfigMap/api-config").is_some(),
            &format!(
                "the ConfigMap the failed apply made is in state: {:?}",
                rendered.as_object().map(|m| m.keys().collect::<Vec<_>>())
            ),
        )?;
        ws.destroy()?.ok()?;
        let left = leftovers(&ns)?;
        expect(left.is_empty(), &format!("destroy left nothing: {left:?}"))
    })
}

/// Patches the Deployment as a kubectl command does: an update (not an apply) under its field manager.
fn kubectl(ns: &str, manager: &str, patch: Patch<Json>) -> tf::Result<()> {
    let (ns, manager) = (ns.to_owned(), manager.to_owned());
    with_kube(|c| async move {
        let params = PatchParams {
            field_manager: Some(manager),
            ..PatchParams::default()
        };
        Api::<Deployment>::namespaced(c, &ns)
            .patch("api", &params, &patch)
            .await
            .map(drop)
    })
}

/// Without `force_conflicts`: `kubectl edit`, `label` and `patch` of fields hub applied are planned back
/// with a warning naming the manager and repaired by a plain apply, a foreign label stays; a new setting
/// over a field hub never applied, held by `kubectl annotate`, fails the plan until `force_conflicts`.
#[test]
fn acc_app_owned_fields_are_taken_back_foreign_ones_left_alone() -> tf::Result<()> {
    tf::for_each_cli(|cli| {
        let ns = Scope::new("app-promise-drift").name("apps");
        let ws = Workspace::new(cli)?;
        let body = format!("{}  env = {{ FEATURE = \"on\" }}\n", unforced());
        ws.config(&config(&ns, &body))?;
        ws.apply()?.ok()?;
        let (deployment, _) = uids(&ns)?;

        let image = json!({"spec": {"template": {"spec": {"containers": [{"name": "api", "image": "evil:1"}]}}}});
        kubectl(&ns, "kubectl-edit", Patch::Strategic(image))?;
        let labels = json!({"metadata": {"labels": {"app.kubernetes.io/managed-by": "kubectl", "team": "x"}}});
        kubectl(&ns, "kubectl-label", Patch::Merge(labels))?;
        let env = json!({"spec": {"template": {"spec": {"containers": [{"name": "api", "env": [{"name": "FEATURE", "value": "off"}]}]}}}});
        kubectl(&ns, "kubectl-patch", Patch::Strategic(env))?;

        let plan = ws.plan()?;
        plan.resource_change("hub_app.api")?.expect_actions(&[Action::Update])?;
        for manager in ["kubectl-edit", "kubectl-label", "kubectl-patch"] {
            plan.diagnostics.expect(
                &DiagMatch::warning()
                    .summary("Fields Changed Outside Terraform Are Taken Back")
                    .detail(manager),
            )?;
        }
        promise::apply_as_planned(&ws, &plan)?;
        let n = ns.clone();
        let live = with_kube(|c| async move { Api::<Deployment>::namespaced(c, &n).get("api").await })?;
        let labels = live.metadata.labels.clone().unwrap_or_default();
        let container = live
            .spec
            .and_then(|s| s.template.spec)
            .map(|s| s.containers[0].clone())
            .unwrap_or_default();
        expect(
            container.image.as_deref() == Some("hub-workload:1.0"),
            "the image is back",
        )?;
        expect(
            container
                .env
                .unwrap_or_default()
                .iter()
                .any(|e| e.name == "FEATURE" && e.value.as_deref() == Some("on")),
            "the env value is back",
        )?;
        expect(
            labels.get("app.kubernetes.io/managed-by").map(String::as_str) == Some("hub")
                && labels.get("team").map(String::as_str) == Some("x"),
            &format!("hub's label is back, the foreign one untouched: {labels:?}"),
        )?;
        expect(uids(&ns)?.0 == deployment, "repaired in place")?;
        ws.plan()?.expect_empty()?;

        // A field hub never applied: left to its manager, unless force_conflicts.
        let owner = json!({"metadata": {"annotations": {"example.com/owner": "team-a"}}});
        kubectl(&ns, "kubectl-annotate", Patch::Merge(owner))?;
        let annotated = format!("{body}  annotations = {{ \"example.com/owner\" = \"team-b\" }}\n");
        ws.config(&config(&ns, &annotated))?;
        ws.plan_err()?.diagnostics().expect(
            &DiagMatch::error()
                .summary("Field Owned By Another Manager")
                .detail("kubectl-annotate"),
        )?;
        ws.config(&config(&ns, &format!("{annotated}  force_conflicts = true\n")))?;
        let plan = ws.plan()?;
        promise::apply_as_planned(&ws, &plan)?;
        let n = ns.clone();
        let live = with_kube(|c| async move { Api::<Deployment>::namespaced(c, &n).get("api").await })?;
        expect(
            live.metadata
                .annotations
                .unwrap_or_default()
                .get("example.com/owner")
                .map(String::as_str)
                == Some("team-b"),
            "force_conflicts took the annotation over",
        )?;
        ws.plan()?.expect_empty()?;
        ws.destroy()?.ok()?;
        Ok(())
    })
}
