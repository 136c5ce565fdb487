//! `hub_app` against the local control plane through the real CLIs: create and roll out on kwok nodes,
//! empty re-plan, image and config updates that roll pods, import by `namespace/name`, secrets that never
//! leak; ownership (drift, foreign managers, adoption) and failures (rollout, rollback, Ingress
//! finalizer) in their own modules, IRSA wiring in `irsa`, the seed settings (scaling policies, node port, custom
//! names, RBAC) in `seed_settings`, issue 20's pod settings (environment from objects hub does not own, named
//! ports, scheduling, volumes and claims) in `pod`, its migration before the rollout in `migration`, scheduled
//! work in `cron`, graceful shutdown behind an ALB and HPA metrics beyond CPU and memory in `alb`, init
//! containers and sidecars in `init`.

mod alb;
mod cron;
mod failure;
mod import;
mod init;
mod irsa;
mod migration;
mod ownership;
mod pod;
mod promise;
mod security;
mod seed_settings;
mod unverifiable;

use hub_acceptance::sandbox::Scope;
use hub_acceptance::support::{expect, fixture_config, provider_block, with_kube};
use hub_acceptance::tf::{self, Action, ImportId, Step, TestCase, Workspace};
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::apps::v1::ReplicaSet;
use kube::Api;
use kube::api::ListParams;

use unverifiable::{rendered_is_contained, unverifiable};

/// The provider block and the app's namespace.
pub(crate) fn namespace_only(ns: &str) -> String {
    format!(
        "{}\nresource \"hub_namespace\" \"ns\" {{\n  name = {ns:?}\n}}\n",
        provider_block("")
    )
}

/// [`namespace_only`] plus `hub_app.api` with `body`.
pub(crate) fn config(ns: &str, body: &str) -> String {
    format!(
        "{}resource \"hub_app\" \"api\" {{\n  name      = \"api\"\n  namespace = hub_namespace.ns.name\n{body}\n}}\n",
        namespace_only(ns)
    )
}

pub(crate) const BASE: &str = r#"  image  = "hub-workload:1.0"
  replicas = 3
  config = { LOG_LEVEL = "info" }
  secret_env = { DB_PASSWORD = "hunter2" }
  force_conflicts = true
  rollout = { timeout = "90s" }
"#;

#[test]
fn acc_app_lifecycle() -> tf::Result<()> {
    // Cross-checked under every CLI: OpenTofu, Terraform 1.5.7 and Terraform 1.13.
    tf::for_each_cli(|cli| {
        let ns = Scope::new("app-life").name("apps");
        let vars = [("namespace", ns.as_str())];
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
                Step::new(fixture_config("app/lifecycle_1_create.tf", &vars))
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
                    .import_verify("hub_app.api", ImportId::Attribute("id".into()), &unverifiable())
                    .import_check(rendered_is_contained),
            )
            .step(
                Step::new(fixture_config("app/lifecycle_2_image.tf", &vars))
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
            .step(
                // A config change rolls the pods: a third ReplicaSet, all replicas available again.
                Step::new(fixture_config("app/lifecycle_3_config.tf", &vars))
                    .plan_check(|plan| {
                        plan.resource_change("hub_app.api")?
                            .expect_actions(&[Action::Update])
                            .map(drop)
                    })
                    .check(image("hub-workload:1.1"))
                    .check({
                        let ns = ns.clone();
                        move |_: &tf::State| {
                            let ns = ns.clone();
                            let sets = with_kube(|c| async move {
                                let labels = ListParams::default().labels("app.kubernetes.io/name=api");
                                Api::<ReplicaSet>::namespaced(c, &ns).list(&labels).await
                            })?;
                            expect(
                                sets.items.len() == 3,
                                &format!("3 ReplicaSets (one per revision), got {}", sets.items.len()),
                            )
                        }
                    }),
            )
            .run(cli)
    })
}

/// Map entries known only after apply plan with their known entries shown, under every CLI (a plan that
/// turned the maps wholly unknown would be refused as invalid), and apply with every entry.
#[test]
fn acc_app_partly_unknown_maps_plan_their_known_entries() -> tf::Result<()> {
    tf::for_each_cli(|cli| {
        let ns = Scope::new("app-partly").name("apps");
        let vars = [("namespace", ns.as_str())];
        let check_ns = ns.clone();
        TestCase::new()
            .step(
                Step::new(fixture_config("app/partly_unknown.tf", &vars))
                    .plan_check(|plan| {
                        plan.resource_change("hub_app.api")?
                            .expect_actions(&[Action::Create])?
                            .expect_after("env.MODE", serde_json::json!("prod"))?
                            .expect_unknown("env.OWNER")?
                            .expect_after("labels.team", serde_json::json!("payments"))?
                            .expect_unknown("labels.owner")?
                            .expect_unknown("rendered")?;
                        Ok(())
                    })
                    .check(move |_: &tf::State| {
                        let ns = check_ns.clone();
                        let d = with_kube(|c| async move { Api::<Deployment>::namespaced(c, &ns).get("api").await })?;
                        let env = d.spec.unwrap_or_default().template.spec.unwrap_or_default().containers[0]
                            .env
                            .clone()
                            .unwrap_or_default();
                        let owner = env.iter().find(|e| e.name == "OWNER").and_then(|e| e.value.clone());
                        expect(
                            owner.as_deref() == Some("platform"),
                            &format!("OWNER known after apply, got {owner:?}"),
                        )?;
                        let labels = d.metadata.labels.unwrap_or_default();
                        expect(
                            labels.get("owner").map(String::as_str) == Some("platform"),
                            "the label known after apply",
                        )
                    }),
            )
            .run(cli)
    })
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
