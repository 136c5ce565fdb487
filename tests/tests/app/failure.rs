//! Failures that must explain themselves and lose nothing: a rollout that never becomes available, a
//! failed update rolled back, and a destroy held up by the Ingress finalizer.

use std::time::Duration;

use hub_acceptance::promise;
use hub_acceptance::sandbox::Scope;
use hub_acceptance::support::{expect, wait_until, with_kube};
use hub_acceptance::tf::{self, Action, DiagMatch, Workspace};
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::Service;
use k8s_openapi::api::networking::v1::Ingress;
use kube::Api;
use kube::api::{Patch, PatchParams};
use serde_json::json;

use super::config;

/// A create whose rollout fails explains itself (pod, container, reason) and is recorded, not tainted: the
/// next plan says the last rollout failed and updates in place, and fixing the image rolls out with every
/// object keeping its UID (a tainted create would delete and recreate them all, load balancer included).
#[test]
fn acc_app_failed_rollout_on_create_is_retried_in_place() -> tf::Result<()> {
    tf::for_each_cli(|cli| {
        let ns = Scope::new("app-fail").name("apps");
        let ws = Workspace::new(cli)?;
        let body = |image: &str| format!("  image = {image:?}\n  replicas = 1\n  rollout = {{ timeout = \"20s\" }}\n");
        ws.config(&config(&ns, &body("fault.invalid/image-pull-backoff:1")))?;
        let out = ws.apply()?;
        out.diagnostics().expect(
            &DiagMatch::warning()
                .summary("Rollout Failed")
                .detail("container api")
                .detail("ImagePullBackOff"),
        )?;
        let state = ws.state()?;
        let app = state.resource("hub_app.api")?;
        expect(
            app.str("last_rollout_error")?.contains("ImagePullBackOff"),
            "the state records why the rollout failed",
        )?;
        let uids = || -> tf::Result<(Option<String>, Option<String>)> {
            let n = ns.clone();
            with_kube(|c| async move {
                let d = Api::<Deployment>::namespaced(c.clone(), &n).get("api").await?;
                let s = Api::<Service>::namespaced(c, &n).get("api").await?;
                Ok::<_, kube::Error>((d.metadata.uid, s.metadata.uid))
            })
        };
        let before = uids()?;
        let plan = ws.plan()?;
        plan.resource_change("hub_app.api")?.expect_actions(&[Action::Update])?;
        plan.diagnostics
            .expect(&DiagMatch::warning().summary("Last Rollout Failed"))?;
        ws.config(&config(&ns, &body("hub-workload:1.0")))?;
        let plan = ws.plan()?;
        plan.resource_change("hub_app.api")?.expect_actions(&[Action::Update])?;
        promise::apply_as_planned(&ws, &plan)?;
        expect(uids()? == before, "the Deployment and the Service keep their UIDs")?;
        expect(
            ws.state()?
                .resource("hub_app.api")?
                .attr("last_rollout_error")
                .is_none_or(|v| v.is_null()),
            "the failure is cleared once the rollout succeeds",
        )?;
        ws.plan()?.expect_empty()?;
        ws.destroy()?.ok()?;
        Ok(())
    })
}

/// A failed update with `on_failure = "rollback"`: the error says so, the previous image runs again, and
/// the state keeps the previous revision, so the next plan shows the change again.
#[test]
fn acc_app_failed_update_rolls_back() -> tf::Result<()> {
    let ns = Scope::new("app-rollback").name("apps");
    let ws = Workspace::new(tf::opentofu()?)?;
    let body = |image: &str| {
        format!("  image = {image:?}\n  replicas = 2\n  rollout = {{ timeout = \"20s\", on_failure = \"rollback\" }}\n")
    };
    ws.config(&config(&ns, &body("hub-workload:1.0")))?;
    ws.apply()?.ok()?;
    ws.config(&config(&ns, &body("fault.invalid/crash-loop:2")))?;
    let out = ws.apply_err()?;
    let text = format!("{}{}", out.stdout, out.stderr);
    expect(
        text.contains("Rollout Failed") && text.contains("previous revision was re-applied"),
        &format!("says it rolled back:\n{text}"),
    )?;
    let n = ns.clone();
    let image = with_kube(|c| async move { Api::<Deployment>::namespaced(c, &n).get("api").await })?
        .spec
        .and_then(|s| s.template.spec)
        .and_then(|s| s.containers[0].image.clone());
    expect(
        image.as_deref() == Some("hub-workload:1.0"),
        &format!("previous image back, got {image:?}"),
    )?;
    expect(
        ws.state()?.resource("hub_app.api")?.str("image")? == "hub-workload:1.0",
        "the state keeps the previous revision",
    )?;
    ws.plan()?
        .resource_change("hub_app.api")?
        .expect_actions(&[Action::Update])?;
    ws.config(&config(&ns, &body("hub-workload:1.0")))?;
    ws.destroy()?.ok()?;
    Ok(())
}

/// Destroy waits for the Ingress finalizer (the AWS Load Balancer Controller's), keeps everything when it
/// does not clear within `delete_timeout` and says which finalizer holds it, and finishes once it clears.
#[test]
fn acc_app_destroy_waits_for_the_ingress_finalizer() -> tf::Result<()> {
    const FINALIZER: &str = "ingress.k8s.aws/resources";
    let ns = Scope::new("app-ingress").name("apps");
    let ws = Workspace::new(tf::opentofu()?)?;
    let body = |timeout: &str| {
        format!(
            "  image = \"hub-workload:1.0\"\n  replicas = 1\n  ingress = {{ hosts = [\"api.example.com\"] }}\n  delete_timeout = {timeout:?}\n"
        )
    };
    ws.config(&config(&ns, &body("3s")))?;
    ws.apply()?.ok()?;
    let finalizers = |list: Vec<&str>| {
        let n = ns.clone();
        let patch = json!({"metadata": {"finalizers": list}});
        with_kube(|c| async move {
            Api::<Ingress>::namespaced(c, &n)
                .patch("api", &PatchParams::default(), &Patch::Merge(&patch))
                .await
                .map(drop)
        })
    };
    finalizers(vec![FINALIZER])?;

    let out = ws.run(&["destroy", "-auto-approve", "-input=false"])?;
    let text = format!("{}{}", out.stdout, out.stderr);
    expect(
        !out.success() && text.contains("Ingress Still Deleting") && text.contains(FINALIZER),
        &format!("names the finalizer:\n{text}"),
    )?;
    expect(ws.state()?.resource("hub_app.api").is_ok(), "the app stays in state")?;
    let n = ns.clone();
    let service = with_kube(|c| async move { Api::<Service>::namespaced(c, &n).get_opt("api").await })?;
    expect(service.is_some(), "the Service is kept while the Ingress is held")?;

    // The controller finishes while a destroy with more patience waits.
    ws.config(&config(&ns, &body("60s")))?;
    ws.apply()?.ok()?;
    let mut running = ws.spawn(&["destroy", "-auto-approve", "-input=false"])?;
    // Release the finalizer only once destroy is provably in its finalizer wait: the Ingress is deleted
    // but held, the Service (deleted after the Ingress is gone) is still there, and destroy still runs.
    wait_until(
        Duration::from_secs(60),
        "destroy deleted the Ingress and is waiting for its finalizer",
        || {
            let n = ns.clone();
            let (ingress, service) = with_kube(|c| async move {
                let ingress = Api::<Ingress>::namespaced(c.clone(), &n).get_opt("api").await?;
                let service = Api::<Service>::namespaced(c, &n).get_opt("api").await?;
                Ok((ingress, service))
            })
            .ok()?;
            let held = ingress?.metadata.deletion_timestamp.is_some();
            (held && service.is_some() && running.is_running()).then_some(())
        },
    );
    finalizers(vec![])?;
    running.wait(Duration::from_secs(120))?.ok()?;
    let n = ns.clone();
    let left = with_kube(|c| async move {
        let ingress = Api::<Ingress>::namespaced(c.clone(), &n).get_opt("api").await?;
        let service = Api::<Service>::namespaced(c, &n).get_opt("api").await?;
        Ok((ingress.is_none(), service.is_none()))
    })?;
    expect(left == (true, true), &format!("Ingress and Service gone, got {left:?}"))
}

/// A namespace quota the app does not fit in: the rollout error names the quota and the amounts.
#[test]
fn acc_app_exceeded_quota_is_named_with_amounts() -> tf::Result<()> {
    let ns = Scope::new("app-quota").name("apps");
    let ws = Workspace::new(tf::opentofu()?)?;
    let app = config(
        &ns,
        "  image = \"hub-workload:1.0\"\n  replicas = 3\n  rollout = { timeout = \"15s\" }\n",
    );
    ws.config(&app.replace(
        "resource \"hub_namespace\" \"ns\" {",
        "resource \"hub_namespace\" \"ns\" {\n  resource_quota = { requests_cpu = \"250m\" }\n",
    ))?;
    // A create: recorded with the failure, as a warning (see the test above).
    let out = ws.apply()?;
    let text = format!("{}{}", out.stdout, out.stderr).replace('\n', " ");
    expect(
        text.contains("exceeded quota: hub-quota")
            && text.contains("requested: requests.cpu=100m")
            && text.contains("limited: requests.cpu=250m")
            && text.contains("hub_namespace.resource_quota"),
        &format!("names the quota and the amounts:\n{text}"),
    )?;
    ws.destroy()?.ok()?;
    Ok(())
}
