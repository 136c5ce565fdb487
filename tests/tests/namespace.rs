//! `hub_namespace` against the local control plane, through the real CLIs: create, drift, import, update,
//! Pod Security enforcement, Ctrl-C during a slow destroy, one-run plans with an unknown provider
//! configuration. Configurations are fixtures under `testdata/namespace/`.

use std::time::Duration;

use hub_acceptance::sandbox::Scope;
use hub_acceptance::support::{block_on, err, expect, fixture, fixture_config, sandbox, wait_until, with_kube};
use hub_acceptance::tf::{self, Action, Cli, DiagMatch, ImportId, Step, TestCase, Unverifiable, Workspace};
use k8s_openapi::api::core::v1::{ConfigMap, Namespace, Pod, ResourceQuota};
use k8s_openapi::api::networking::v1::NetworkPolicy;
use kube::Api;
use kube::api::{Patch, PatchParams, PostParams};
use serde_json::json;

/// `testdata/namespace/<file>` for the namespace `name`, after the sandbox provider block.
fn config(file: &str, name: &str) -> String {
    fixture_config(&format!("namespace/{file}"), &[("name", name)])
}

/// What `import` of a `hub_namespace` cannot know.
const UNVERIFIABLE: &[Unverifiable] = &[Unverifiable::new(
    "limit_range.default_request_memory",
    "the API server fills an unset defaultRequest with the default limit, so import reads back more than was configured",
)];

/// The namespace's labels as the API server has them.
fn labels(name: &str) -> tf::Result<std::collections::BTreeMap<String, String>> {
    let ns = with_kube(|c| async { Api::<Namespace>::all(c).get(name).await })?;
    Ok(ns.metadata.labels.unwrap_or_default())
}

/// Merge-patches the namespace's labels, as another tool would.
fn patch_labels(name: &str, labels: serde_json::Value) -> tf::Result<()> {
    let patch = json!({"metadata": {"labels": labels}});
    with_kube(|c| async move {
        Api::<Namespace>::all(c)
            .patch(name, &PatchParams::default(), &Patch::Merge(&patch))
            .await
    })
    .map(drop)
}

/// Create with every setting, import, then an update that drops the quota, limit range and policy.
#[test]
fn acc_namespace_lifecycle_with_drift_and_import() -> tf::Result<()> {
    // Cross-checked under every CLI: OpenTofu, Terraform 1.5.7 and Terraform 1.13.
    tf::for_each_cli(|cli| {
        let name = Scope::new("ns-lifecycle").name("team");
        let check_name = name.clone();
        TestCase::new()
            .step(
                Step::new(config("full.tf", &name))
                    .plan_check(|plan| {
                        plan.resource_change("hub_namespace.ns")?
                            .expect_actions(&[Action::Create])?
                            .expect_unknown("uid")?
                            .expect_after("pod_security.enforce", json!("restricted"))?;
                        Ok(())
                    })
                    .check(move |state| {
                        state.resource("hub_namespace.ns")?.expect_set("uid")?;
                        let labels = labels(&check_name)?;
                        let label = |k: &str| labels.get(k).map(String::as_str);
                        expect(
                            label("pod-security.kubernetes.io/enforce") == Some("restricted"),
                            "enforce label",
                        )?;
                        expect(
                            label("pod-security.kubernetes.io/warn") == Some("baseline"),
                            "warn label",
                        )?;
                        expect(label("app.kubernetes.io/managed-by") == Some("hub"), "managed-by label")?;
                        expect(
                            label("elbv2.k8s.aws/pod-readiness-gate-inject") == Some("enabled"),
                            "the ALB readiness gate label",
                        )?;
                        let quota = with_kube(|c| async {
                            Api::<ResourceQuota>::namespaced(c, &check_name).get("hub-quota").await
                        })?;
                        let hard = quota.spec.and_then(|s| s.hard).unwrap_or_default();
                        expect(hard.get("pods").map(|q| q.0.as_str()) == Some("20"), "quota pods")?;
                        let deny = with_kube(|c| async {
                            Api::<NetworkPolicy>::namespaced(c, &check_name)
                                .get_opt("hub-default-deny")
                                .await
                        })?;
                        expect(deny.is_some(), "default-deny policy exists")
                    })
                    .import_verify("hub_namespace.ns", ImportId::Attribute("id".into()), UNVERIFIABLE),
            )
            .step(Step::new(config("labels_only.tf", &name)).check({
                let name = name.clone();
                move |_| {
                    let quota =
                        with_kube(|c| async { Api::<ResourceQuota>::namespaced(c, &name).get_opt("hub-quota").await })?;
                    expect(quota.is_none(), "quota removed when no longer configured")?;
                    expect(
                        !labels(&name)?.contains_key("elbv2.k8s.aws/pod-readiness-gate-inject"),
                        "the readiness gate label removed when no longer asked for",
                    )?;
                    expect(
                        labels(&name)?.get("tier").map(String::as_str) == Some("web"),
                        "label added",
                    )
                }
            }))
            .run(cli)?;

        // Namespace gone after the test case's destroy.
        let gone = with_kube(|c| async { Api::<Namespace>::all(c).get_opt(&name).await })?;
        expect(
            gone.is_none_or(|ns| ns.metadata.deletion_timestamp.is_some()),
            "namespace deleted",
        )
    })
}

/// Only what hub manages is drift: another tool's label and the API server's rewrite of "0.5" as "500m"
/// plan nothing; a changed managed label is planned back.
#[test]
fn acc_namespace_drift_on_managed_fields_only() -> tf::Result<()> {
    let name = Scope::new("ns-drift").name("drift");
    let (foreign, managed) = (name.clone(), name.clone());
    TestCase::new()
        .step(Step::new(config("drift.tf", &name)))
        .step(
            Step::new(config("drift.tf", &name))
                .pre_config(move || patch_labels(&foreign, json!({"someone-else": "x"})))
                .plan_check(|plan| plan.expect_empty()),
        )
        .step(
            Step::new(config("drift.tf", &name))
                .pre_config(move || patch_labels(&managed, json!({"team": "b"})))
                .plan_check(|plan| {
                    plan.resource_change("hub_namespace.ns")?
                        .expect_actions(&[Action::Update])?
                        .expect_after("labels.team", json!("a"))?;
                    Ok(())
                }),
        )
        .run(tf::opentofu()?)
}

/// Maps and objects only partly known at plan (a label from another resource) plan with their known parts
/// shown, under every CLI: a model that turned them wholly unknown would be an invalid plan.
#[test]
fn acc_namespace_partly_unknown_settings_plan_their_known_parts() -> tf::Result<()> {
    tf::for_each_cli(|cli| {
        let name = Scope::new("ns-partly").name("partly");
        let check_name = name.clone();
        TestCase::new()
            .step(
                Step::new(config("partly_unknown.tf", &name))
                    .plan_check(|plan| {
                        plan.resource_change("hub_namespace.ns")?
                            .expect_actions(&[Action::Create])?
                            .expect_after("labels.team", json!("payments"))?
                            .expect_unknown("labels.owner")?
                            .expect_after("pod_security.enforce", json!("baseline"))?
                            .expect_unknown("pod_security.version")?;
                        Ok(())
                    })
                    .check(move |_| {
                        let labels = labels(&check_name)?;
                        expect(
                            labels.get("owner").map(String::as_str) == Some("platform"),
                            "the label known after apply",
                        )?;
                        expect(
                            labels
                                .get("pod-security.kubernetes.io/enforce-version")
                                .map(String::as_str)
                                == Some("v1.35"),
                            "the version known after apply",
                        )
                    }),
            )
            .run(cli)
    })
}

/// The default `restricted` Pod Security level refuses a pod running as root.
#[test]
fn acc_namespace_restricted_rejects_root_pods() -> tf::Result<()> {
    let name = Scope::new("ns-pss").name("pss");
    let check_name = name.clone();
    TestCase::new()
        .step(
            Step::new(config("minimal.tf", &name))
                .check(move |_| {
                    let pod: Pod = serde_json::from_value(json!({
                        "metadata": {"name": "root"},
                        "spec": {"containers": [{"name": "c", "image": "busybox", "securityContext": {"runAsUser": 0}}]}
                    }))
                    .map_err(err)?;
                    let result = block_on(async {
                        let c = sandbox().kube_client().await.map_err(err)?;
                        Ok::<_, tf::Error>(
                            Api::<Pod>::namespaced(c, &check_name)
                                .create(&PostParams::default(), &pod)
                                .await,
                        )
                    })?;
                    let rejected = matches!(&result, Err(kube::Error::Api(s)) if s.code == 403 && s.message.contains("violates PodSecurity"));
                    expect(
                        rejected,
                        &format!("a root pod must be rejected by restricted enforcement, got {result:?}"),
                    )
                })
                .import_verify("hub_namespace.ns", ImportId::Attribute("id".into()), UNVERIFIABLE),
        )
        .run(tf::opentofu()?)
}

#[test]
fn acc_namespace_bad_input_refused_before_any_write() -> tf::Result<()> {
    tf::for_each_cli(|cli: &Cli| {
        let ws = Workspace::new(cli)?;
        ws.config(&fixture_config("namespace/bad_input.tf", &[]))?;
        let out = ws.validate()?;
        out.expect_no_crash()?;
        let diags = out.diagnostics();
        diags.expect(
            &DiagMatch::error()
                .summary("Invalid Quantity")
                .attribute("resource_quota"),
        )?;
        diags.expect(&DiagMatch::error().summary("Invalid Value").attribute("pod_security"))?;
        Ok(())
    })
}

/// Ctrl-C during a destroy that waits for a namespace held by a finalizer: the provider stays up, answers
/// StopProvider, the wait ends at once with an explanation, and the namespace stays in state. A fault path
/// (an interrupted command), so it drives the workspace itself rather than the step runner.
#[test]
fn acc_namespace_interrupted_destroy_keeps_state() -> tf::Result<()> {
    let cli = tf::opentofu()?;
    let name = Scope::new("ns-sigint").name("held");
    let ws = Workspace::new(cli)?;
    ws.config(&config("held.tf", &name))?;
    ws.apply()?.ok()?;
    let held: ConfigMap =
        serde_json::from_value(json!({"metadata": {"name": "held", "finalizers": ["hub.test/hold"]}})).map_err(err)?;
    with_kube(|c| async {
        Api::<ConfigMap>::namespaced(c, &name)
            .create(&PostParams::default(), &held)
            .await
    })?;

    let mut running = ws.spawn(&["destroy", "-auto-approve", "-no-color"])?;
    // Interrupt only once the provider has deleted the namespace and is waiting for it to go.
    wait_until(
        Duration::from_secs(60),
        "destroy deleted the namespace and is waiting for it",
        || {
            let ns = with_kube(|c| async { Api::<Namespace>::all(c).get_opt(&name).await }).ok()??;
            (ns.metadata.deletion_timestamp.is_some() && running.is_running()).then_some(())
        },
    );
    running.interrupt()?;
    let out = running.wait(Duration::from_secs(60))?;
    out.expect_no_crash()?;
    let text = format!("{}{}", out.stdout, out.stderr);
    expect(!out.success(), "an interrupted destroy fails")?;
    expect(
        text.contains("Namespace Still Terminating") && text.contains("interrupted"),
        &format!("explains the interruption:\n{text}"),
    )?;
    expect(
        ws.state()?.resource("hub_namespace.ns").is_ok(),
        "the namespace stays in state",
    )?;

    // Release the finalizer; destroy now completes.
    let patch = json!({"metadata": {"finalizers": null}});
    with_kube(|c| async {
        Api::<ConfigMap>::namespaced(c, &name)
            .patch("held", &PatchParams::default(), &Patch::Merge(&patch))
            .await
    })?;
    ws.destroy()?.ok()?;
    expect(ws.state()?.is_empty(), "state empty after destroy")
}

/// The provider's host comes from a resource created in the same run: plan works in one run without
/// contacting the cluster, and apply then reaches it with an EKS-style token.
#[test]
fn acc_unknown_provider_config_plans_and_applies_in_one_run() -> tf::Result<()> {
    let sb = sandbox();
    let name = Scope::new("ns-onerun").name("onerun");
    let token = sb.eks_token().mint().map_err(err)?;
    let ca = sb.ca_pem().map_err(err)?.replace('\n', "\\n");
    let url = sb.api_server_url();
    let config = fixture(
        "namespace/unknown_provider.tf",
        &[("url", &url), ("ca", &ca), ("token", &token), ("name", &name)],
    );
    let check_name = name.clone();
    TestCase::new()
        .step(
            Step::new(config)
                .plan_check(|plan| {
                    plan.resource_change("hub_namespace.ns")?
                        .expect_actions(&[Action::Create])
                        .map(drop)
                })
                .check(move |_| {
                    let ns = with_kube(|c| async { Api::<Namespace>::all(c).get_opt(&check_name).await })?;
                    expect(
                        ns.is_some(),
                        "namespace created through the token-authenticated connection",
                    )
                }),
        )
        .run(tf::opentofu()?)
}
