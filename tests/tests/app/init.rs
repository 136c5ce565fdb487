//! Init containers and native sidecars on a live cluster under every CLI: an app with an init container
//! and a sidecar rolls out with its pods Ready, re-plans empty and imports with no change; an init container
//! someone removes is planned back; and an init container that keeps failing (kwok's `init-fail` Stage)
//! makes the rollout wait report it by name, with its reason and exit code.

use hub_acceptance::sandbox::Scope;
use hub_acceptance::support::{expect, with_kube};
use hub_acceptance::tf::{self, Action, DiagMatch, ImportId, Step, TestCase, Workspace};
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::Pod;
use kube::Api;
use kube::api::{ListParams, Patch, PatchParams};
use serde_json::{Value, json};

use super::config;
use super::unverifiable::{rendered_is_contained, unverifiable};

// No `rollout` setting: import cannot read it back, and the import must plan no change.
const BODY: &str = r#"  image    = "hub-workload:1.0"
  replicas = 2
  init_containers = [
    { name = "wait", image = "hub-workload:1.0", env = { STEP = "wait" }, volume_mounts = [{ volume = "tmp", mount_path = "/shared" }] },
    { name = "logs", image = "hub-workload:1.0", sidecar = true, resources = { cpu_request = "10m" } },
  ]
"#;

/// The init containers of the Deployment's pod template, as JSON.
fn init_containers(ns: &str) -> tf::Result<Value> {
    let ns = ns.to_owned();
    let d = with_kube(|c| async move { Api::<Deployment>::namespaced(c, &ns).get("api").await })?;
    let spec = d.spec.and_then(|s| s.template.spec);
    Ok(serde_json::to_value(spec.and_then(|s| s.init_containers)).unwrap_or_default())
}

fn check_running(ns: &str) -> tf::Result<()> {
    let init = init_containers(ns)?;
    let names: Vec<&str> = init
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["name"].as_str())
        .collect();
    expect(
        names == ["wait", "logs"],
        &format!("init containers in order, got {names:?}"),
    )?;
    expect(
        init[1]["restartPolicy"] == "Always" && init[0].get("restartPolicy").is_none(),
        &format!("the second is a native sidecar: {init}"),
    )?;
    expect(
        init[0]["securityContext"]["runAsNonRoot"] == true
            && init[0]["securityContext"]["capabilities"]["drop"] == json!(["ALL"])
            && init[0]["volumeMounts"]
                == json!([{"name": "tmp", "mountPath": "/tmp"}, {"name": "tmp", "mountPath": "/shared"}]),
        &format!("restricted, with /tmp, and hub's tmp again at /shared: {}", init[0]),
    )?;
    let n = ns.to_owned();
    let pods = with_kube(|c| async move {
        let labels = ListParams::default().labels("app.kubernetes.io/name=api");
        Api::<Pod>::namespaced(c, &n).list(&labels).await
    })?;
    let ready = pods
        .items
        .iter()
        .filter(|p| {
            p.status
                .iter()
                .flat_map(|s| s.conditions.iter().flatten())
                .any(|c| c.type_ == "Ready" && c.status == "True")
        })
        .count();
    expect(ready >= 2, &format!("2 pods Ready, got {ready}"))
}

/// Removes the init container `wait` from the pod template as `kubectl patch` would.
fn remove_wait(ns: &str) -> tf::Result<()> {
    let n = ns.to_owned();
    let patch = json!({"spec": {"template": {"spec": {"initContainers": [{"name": "wait", "$patch": "delete"}]}}}});
    with_kube(|c| async move {
        Api::<Deployment>::namespaced(c, &n)
            .patch("api", &PatchParams::default(), &Patch::Strategic(&patch))
            .await
            .map(drop)
    })
}

#[test]
fn acc_app_init_container_and_sidecar() -> tf::Result<()> {
    tf::for_each_cli(|cli| {
        let ns = Scope::new("app-init").name("apps");
        let app = config(&ns, BODY);
        let (running, removed, restored) = (ns.clone(), ns.clone(), ns.clone());
        TestCase::new()
            .step(
                Step::new(app.clone())
                    .plan_check(|plan| {
                        let change = plan.resource_change("hub_app.api")?;
                        let d = change
                            .expect_actions(&[Action::Create])?
                            .after("rendered")
                            .and_then(|r| r["Deployment/api"].as_str())
                            .unwrap_or_default();
                        expect(
                            d.contains("\"initContainers\"") && d.contains("\"restartPolicy\":\"Always\""),
                            &format!("the plan shows the init containers: {d}"),
                        )
                    })
                    .check(move |_: &tf::State| check_running(&running))
                    .import_verify("hub_app.api", ImportId::Attribute("id".into()), &unverifiable())
                    .import_check(rendered_is_contained)
                    .import_plans_no_change("hub_app.api", ImportId::Attribute("id".into())),
            )
            .step(
                Step::new(app)
                    .pre_config(move || remove_wait(&removed))
                    .plan_check(|plan| {
                        plan.resource_change("hub_app.api")?
                            .expect_actions(&[Action::Update])
                            .map(drop)
                    })
                    .check(move |_: &tf::State| check_running(&restored)),
            )
            .run(cli)
    })
}

/// An init container that keeps failing: the create's rollout fails naming the init container, its
/// reason and exit code, and the fixed image rolls out in place.
#[test]
fn acc_app_failing_init_container_is_reported() -> tf::Result<()> {
    tf::for_each_cli(|cli| {
        let ns = Scope::new("app-init-fail").name("apps");
        let ws = Workspace::new(cli)?;
        let body = |image: &str| {
            format!(
                "  image = \"hub-workload:1.0\"\n  replicas = 1\n  rollout = {{ timeout = \"20s\" }}\n  init_containers = [{{ name = \"migrate\", image = {image:?} }}]\n"
            )
        };
        ws.config(&config(&ns, &body("fault.invalid/init-fail:1")))?;
        let out = ws.apply()?;
        out.diagnostics().expect(
            &DiagMatch::warning()
                .summary("Rollout Failed")
                .detail("init container migrate: CrashLoopBackOff, last exit code 1"),
        )?;
        ws.config(&config(&ns, &body("hub-workload:1.0")))?;
        ws.apply()?.ok()?;
        ws.plan()?.expect_empty()?;
        ws.destroy()?.ok()?;
        Ok(())
    })
}
