//! `hub_app` against the local control plane through the real CLIs: create and roll out on kwok nodes,
//! empty re-plan, image and config updates that roll pods, drift on owned fields only, out-of-band deletion,
//! import by `namespace/name`, and a failing rollout that names pod, container and reason.

use hub_acceptance::sandbox::Scope;
use hub_acceptance::support::{expect, provider_block, with_kube};
use hub_acceptance::tf::{self, Action, ImportId, Step, TestCase, Workspace};
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::Service;
use kube::Api;
use kube::api::{DeleteParams, Patch, PatchParams};
use serde_json::json;

fn config(ns: &str, body: &str) -> String {
    format!(
        "{}\nresource \"hub_namespace\" \"ns\" {{ name = {ns:?} }}\nresource \"hub_app\" \"api\" {{\n  name      = \"api\"\n  namespace = hub_namespace.ns.name\n{body}\n}}\n",
        provider_block("")
    )
}

const BASE: &str = r#"  image  = "hub-workload:1.0"
  replicas = 3
  config = { LOG_LEVEL = "info" }
  secret_env = { DB_PASSWORD = "hunter2" }
  force_conflicts = true
  rollout = { timeout = "90s" }
"#;

#[test]
fn acc_app_lifecycle() -> tf::Result<()> {
    // Cross-checked under every CLI: OpenTofu, Terraform 1.5.7 and a newer terraform on PATH.
    tf::for_each_cli(|cli| {
        let ns = Scope::new("app-life").name("apps");
        let image = {
            let ns = ns.clone();
            move |want: &'static str| {
                let ns = ns.clone();
                move |_: &tf::State| {
                    let d = with_kube(|c| async { Api::<Deployment>::namespaced(c, &ns).get("api").await })?;
                    let spec = d.spec.unwrap_or_default();
                    let got = spec.template.spec.unwrap_or_default().containers[0]
                        .image
                        .clone()
                        .unwrap_or_default();
                    expect(got == want, &format!("image {want}, got {got}"))?;
                    let status = d.status.unwrap_or_default();
                    expect(
                        status.available_replicas == Some(3),
                        &format!("3 available replicas, got {status:?}"),
                    )
                }
            }
        };
        TestCase::new()
            .step(
                Step::new(config(&ns, BASE))
                    .plan_check(|plan| {
                        let rc = plan.resource_change("hub_app.api")?;
                        rc.expect_actions(&[Action::Create])?;
                        // Rendered at plan time with secret values masked.
                        let rendered = rc.after("rendered").cloned().unwrap_or_default();
                        let secret = rendered["Secret/api-secret"].as_str().unwrap_or_default();
                        expect(
                            secret.contains("(sensitive value)") && !secret.contains("hunter2"),
                            "secret masked in plan",
                        )?;
                        expect(
                            rendered["Deployment/api"]
                                .as_str()
                                .is_some_and(|d| d.contains("hub-workload:1.0")),
                            "deployment rendered",
                        )
                    })
                    .check(image("hub-workload:1.0"))
                    .import_verify(
                        "hub_app.api",
                        ImportId::Attribute("id".into()),
                        &[
                            "image",
                            "replicas",
                            "config",
                            "secret_env",
                            "force_conflicts",
                            "rollout",
                            "rendered",
                            "port",
                            "resources",
                            "security",
                            "probes_enabled",
                            "max_surge",
                            "max_unavailable",
                            "zone_spread",
                            "termination_grace_period_seconds",
                            "service",
                            "selector",
                            "service_dns",
                            "service_account_name",
                        ],
                    ),
            )
            .step(
                Step::new(config(&ns, &BASE.replace("hub-workload:1.0", "hub-workload:1.1")))
                    .plan_check(|plan| {
                        let rc = plan.resource_change("hub_app.api")?;
                        rc.expect_actions(&[Action::Update])?;
                        expect(
                            rc.before("image") != rc.after("image"),
                            "the image change is visible as a field",
                        )
                    })
                    .check(image("hub-workload:1.1")),
            )
            .run(cli)
    })
}

#[test]
fn acc_app_drift_on_owned_fields_only() -> tf::Result<()> {
    let cli = tf::opentofu()?;
    let ns = Scope::new("app-drift").name("apps");
    let ws = Workspace::new(cli)?;
    ws.config(&config(&ns, BASE))?;
    ws.apply()?.ok()?;
    ws.plan()?.expect_empty()?;

    // Foreign changes: an annotation, an env var from another manager, a restart annotation: no diff.
    let foreign = json!({"metadata": {"annotations": {"someone/else": "x"}}, "spec": {"template": {"metadata": {"annotations": {"kubectl.kubernetes.io/restartedAt": "now"}}}}});
    let n = ns.clone();
    with_kube(|c| async move {
        Api::<Deployment>::namespaced(c, &n)
            .patch("api", &PatchParams::default(), &Patch::Merge(&foreign))
            .await
    })?;
    ws.plan()?.expect_empty()?;

    // An owned field changed out of band: detected and planned back.
    let owned = json!({"spec": {"template": {"spec": {"containers": [{"name": "api", "image": "evil:1"}]}}}});
    let n = ns.clone();
    with_kube(|c| async move {
        Api::<Deployment>::namespaced(c, &n).patch("api", &PatchParams::apply("kubectl-edit").force(), &Patch::Apply(json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "api"}, "spec": owned["spec"].clone()}))).await
    })?;
    ws.plan()?
        .resource_change("hub_app.api")?
        .expect_actions(&[Action::Update])?;
    ws.apply()?.ok()?;
    ws.plan()?.expect_empty()?;

    // The Service deleted out of band: recreated by the next apply.
    let n = ns.clone();
    with_kube(|c| async move {
        Api::<Service>::namespaced(c, &n)
            .delete("api", &DeleteParams::default())
            .await
            .map(drop)
    })?;
    ws.plan()?
        .resource_change("hub_app.api")?
        .expect_actions(&[Action::Update])?;
    ws.apply()?.ok()?;
    let n = ns.clone();
    let svc = with_kube(|c| async move { Api::<Service>::namespaced(c, &n).get_opt("api").await })?;
    expect(svc.is_some(), "Service recreated")?;
    ws.destroy()?.ok()?;
    Ok(())
}

#[test]
fn acc_app_failed_rollout_names_pod_container_and_reason() -> tf::Result<()> {
    let cli = tf::opentofu()?;
    let ns = Scope::new("app-fail").name("apps");
    let ws = Workspace::new(cli)?;
    ws.config(&config(
        &ns,
        "  image = \"fault.invalid/image-pull-backoff:1\"\n  replicas = 1\n  rollout = { timeout = \"20s\" }\n",
    ))?;
    let out = ws.apply_err()?;
    let text = format!("{}{}", out.stdout, out.stderr);
    expect(
        text.contains("Rollout Failed") && text.contains("container api") && text.contains("ImagePullBackOff"),
        &format!("explains the failure:\n{text}"),
    )?;
    // On create the objects exist: they are in state (tainted), so nothing is orphaned.
    expect(
        ws.state()?.resource("hub_app.api").is_ok(),
        "the app is in state after a failed create",
    )?;
    ws.destroy()?.ok()?;
    Ok(())
}

/// Secret values never appear in plans, in `TF_LOG=trace` output, and (write-only ones) in state.
#[test]
fn acc_app_secrets_never_leak() -> tf::Result<()> {
    let cli = tf::opentofu()?;
    let ns = Scope::new("app-secret").name("apps");
    let mut ws = Workspace::new(cli)?;
    ws.set_env("TF_LOG", "trace");
    ws.config(&config(
        &ns,
        "  image = \"hub-workload:1.0\"\n  replicas = 1\n  secret_env = { DB_PASSWORD = \"stored-s3cret\" }\n  secret_env_wo = { API_TOKEN = \"write-only-s3cret\" }\n  secret_env_wo_version = 1\n",
    ))?;
    let out = ws.apply()?.ok()?;
    let logs = format!("{}{}", out.stdout, out.stderr);
    expect(logs.contains("tf_rpc"), "trace logging from the provider was on")?;
    for secret in ["stored-s3cret", "write-only-s3cret"] {
        expect(!logs.contains(secret), &format!("{secret} absent from trace logs"))?;
    }
    let state = ws.read("terraform.tfstate")?;
    expect(
        !state.contains("write-only-s3cret"),
        "write-only value absent from state",
    )?;
    let n = ns.clone();
    let secret = with_kube(|c| async move {
        Api::<k8s_openapi::api::core::v1::Secret>::namespaced(c, &n)
            .get("api-secret")
            .await
    })?;
    let data = secret.data.unwrap_or_default();
    expect(
        data.get("API_TOKEN").map(|b| b.0.as_slice()) == Some(b"write-only-s3cret".as_slice()),
        "write-only value reached the Secret",
    )?;
    ws.destroy()?.ok()?;
    Ok(())
}
