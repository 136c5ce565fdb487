//! `hub_namespace` and `hub_network_policy` against the local control plane, through the real CLIs:
//! create, drift, import, update, Pod Security enforcement, Ctrl-C during a slow destroy, one-run plans
//! with an unknown provider configuration.

use std::time::Duration;

use hub_acceptance::sandbox::Scope;
use hub_acceptance::support::{block_on, err, expect, provider_block, sandbox, with_kube};
use hub_acceptance::tf::{self, Action, Cli, DiagMatch, ImportId, Step, TestCase, Workspace};
use k8s_openapi::api::core::v1::{ConfigMap, Namespace, Pod, ResourceQuota};
use k8s_openapi::api::networking::v1::NetworkPolicy;
use kube::Api;
use kube::api::{Patch, PatchParams, PostParams};
use serde_json::json;

fn provider() -> String {
    provider_block("")
}

fn namespace_config(name: &str, body: &str) -> String {
    format!(
        "{}\nresource \"hub_namespace\" \"ns\" {{\n  name = {name:?}\n{body}\n}}\n",
        provider()
    )
}

#[test]
fn acc_namespace_lifecycle_with_drift_and_import() -> tf::Result<()> {
    // Cross-checked under every CLI: OpenTofu, Terraform 1.5.7 and a newer terraform on PATH.
    tf::for_each_cli(|cli| {
        let scope = Scope::new("ns-lifecycle");
        let name = scope.name("team");
        let full = r#"
      labels      = { team = "payments" }
      annotations = { "hub.example/owner" = "platform" }
      pod_security = { warn = "baseline", version = "v1.35" }
      resource_quota = { requests_cpu = "4", limits_memory = "8Gi", pods = 20, load_balancers = 0 }
      limit_range = { default_request_cpu = "100m", default_limit_memory = "512Mi" }
      default_deny = true
    "#;
        let check_name = name.clone();
        TestCase::new()
            .step(
                Step::new(namespace_config(&name, full))
                    .plan_check(|plan| {
                        plan.resource_change("hub_namespace.ns")?
                            .expect_actions(&[Action::Create])?
                            .expect_unknown("uid")?
                            .expect_after("pod_security.enforce", json!("restricted"))?;
                        Ok(())
                    })
                    .check(move |state| {
                        state.resource("hub_namespace.ns")?.expect_set("uid")?;
                        let ns = with_kube(|c| async { Api::<Namespace>::all(c).get(&check_name).await })?;
                        let labels = ns.metadata.labels.unwrap_or_default();
                        expect(
                            labels.get("pod-security.kubernetes.io/enforce").map(String::as_str) == Some("restricted"),
                            "enforce label",
                        )?;
                        expect(
                            labels.get("pod-security.kubernetes.io/warn").map(String::as_str) == Some("baseline"),
                            "warn label",
                        )?;
                        expect(
                            labels.get("app.kubernetes.io/managed-by").map(String::as_str) == Some("hub"),
                            "managed-by label",
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
                    // The API server fills a LimitRange's unset defaultRequest with its default limit, so an
                    // import sees more than was configured there.
                    .import_verify("hub_namespace.ns", ImportId::Attribute("id".into()), &["limit_range"]),
            )
            .step(
                Step::new(namespace_config(
                    &name,
                    "  labels = { team = \"payments\", tier = \"web\" }\n",
                ))
                .check({
                    let name = name.clone();
                    move |_| {
                        let quota = with_kube(|c| async {
                            Api::<ResourceQuota>::namespaced(c, &name).get_opt("hub-quota").await
                        })?;
                        expect(quota.is_none(), "quota removed when no longer configured")?;
                        let ns = with_kube(|c| async { Api::<Namespace>::all(c).get(&name).await })?;
                        expect(
                            ns.metadata.labels.unwrap_or_default().get("tier").map(String::as_str) == Some("web"),
                            "label added",
                        )
                    }
                }),
            )
            .run(cli)?;

        // Namespace gone after the test case's destroy.
        let gone = with_kube(|c| async { Api::<Namespace>::all(c).get_opt(&name).await })?;
        expect(
            gone.is_none_or(|ns| ns.metadata.deletion_timestamp.is_some()),
            "namespace deleted",
        )
    })
}

#[test]
fn acc_namespace_drift_on_managed_fields_only() -> tf::Result<()> {
    let cli = tf::opentofu()?;
    let name = Scope::new("ns-drift").name("drift");
    let ws = Workspace::new(cli)?;
    ws.config(&namespace_config(
        &name,
        "  labels = { team = \"a\" }\n  resource_quota = { requests_cpu = \"0.5\" }\n",
    ))?;
    ws.apply()?.ok()?;
    // Someone else adds a label and the API server rewrites 0.5 as 500m: neither is drift.
    let patch = json!({"metadata": {"labels": {"someone-else": "x"}}});
    with_kube(|c| async {
        Api::<Namespace>::all(c)
            .patch(&name, &PatchParams::default(), &Patch::Merge(&patch))
            .await
    })?;
    ws.plan()?.expect_empty()?;
    // Someone changes a label hub manages: drift, planned back.
    let patch = json!({"metadata": {"labels": {"team": "b"}}});
    with_kube(|c| async {
        Api::<Namespace>::all(c)
            .patch(&name, &PatchParams::default(), &Patch::Merge(&patch))
            .await
    })?;
    let plan = ws.plan()?;
    plan.resource_change("hub_namespace.ns")?
        .expect_actions(&[Action::Update])?
        .expect_after("labels.team", json!("a"))?;
    ws.apply()?.ok()?;
    ws.plan()?.expect_empty()?;
    ws.destroy()?.ok()?;
    Ok(())
}

#[test]
fn acc_namespace_restricted_rejects_root_pods() -> tf::Result<()> {
    let cli = tf::opentofu()?;
    let name = Scope::new("ns-pss").name("pss");
    let ws = Workspace::new(cli)?;
    ws.config(&namespace_config(&name, ""))?;
    ws.apply()?.ok()?;
    let pod: Pod = serde_json::from_value(json!({
        "metadata": {"name": "root"},
        "spec": {"containers": [{"name": "c", "image": "busybox", "securityContext": {"runAsUser": 0}}]}
    }))
    .map_err(err)?;
    let result = block_on(async {
        let c = sandbox().kube_client().await.map_err(err)?;
        Ok::<_, tf::Error>(
            Api::<Pod>::namespaced(c, &name)
                .create(&PostParams::default(), &pod)
                .await,
        )
    })?;
    let rejected =
        matches!(&result, Err(kube::Error::Api(s)) if s.code == 403 && s.message.contains("violates PodSecurity"));
    ws.destroy()?.ok()?;
    expect(
        rejected,
        &format!("a root pod must be rejected by restricted enforcement, got {result:?}"),
    )
}

#[test]
fn acc_namespace_bad_input_refused_before_any_write() -> tf::Result<()> {
    tf::for_each_cli(|cli: &Cli| {
        let ws = Workspace::new(cli)?;
        ws.config(&namespace_config(
            "ok-name",
            "  resource_quota = { requests_cpu = \"4 cores\" }\n  pod_security = { enforce = \"strict\" }\n",
        ))?;
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
/// StopProvider, the wait ends at once with an explanation, and the namespace stays in state.
#[test]
fn acc_namespace_interrupted_destroy_keeps_state() -> tf::Result<()> {
    let cli = tf::opentofu()?;
    let name = Scope::new("ns-sigint").name("held");
    let ws = Workspace::new(cli)?;
    ws.config(&namespace_config(&name, "  delete_timeout = \"10m\"\n"))?;
    ws.apply()?.ok()?;
    let held: ConfigMap =
        serde_json::from_value(json!({"metadata": {"name": "held", "finalizers": ["hub.test/hold"]}})).map_err(err)?;
    with_kube(|c| async {
        Api::<ConfigMap>::namespaced(c, &name)
            .create(&PostParams::default(), &held)
            .await
    })?;

    let mut running = ws.spawn(&["destroy", "-auto-approve", "-no-color"])?;
    running.wait_for_stdout(Duration::from_secs(60), |line| line.contains("Destroying..."))?;
    std::thread::sleep(Duration::from_secs(2));
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
    let cli = tf::opentofu()?;
    let sb = sandbox();
    let name = Scope::new("ns-onerun").name("onerun");
    let token = sb.eks_token().mint().map_err(err)?;
    let ca = sb.ca_pem().map_err(err)?;
    let config = format!(
        r#"terraform {{
  required_providers {{
    hub = {{ source = "hub/hub" }}
  }}
}}
resource "terraform_data" "cluster" {{ input = {url:?} }}
provider "hub" {{
  host                   = terraform_data.cluster.output
  cluster_ca_certificate = {ca:?}
  token                  = {token:?}
}}
resource "hub_namespace" "ns" {{ name = {name:?} }}
"#,
        url = sb.api_server_url()
    );
    let ws = Workspace::new(cli)?;
    ws.config(&config)?;
    let plan = ws.plan()?;
    plan.resource_change("hub_namespace.ns")?
        .expect_actions(&[Action::Create])?;
    ws.apply_plan()?.ok()?;
    let ns = with_kube(|c| async { Api::<Namespace>::all(c).get_opt(&name).await })?;
    expect(
        ns.is_some(),
        "namespace created through the token-authenticated connection",
    )?;
    ws.destroy()?.ok()?;
    Ok(())
}

#[test]
fn acc_network_policy_seed_003_accepted_by_the_api_server() -> tf::Result<()> {
    let cli = tf::opentofu()?;
    let name = Scope::new("netpol").name("np");
    let config = format!(
        r#"{provider}
resource "hub_namespace" "ns" {{ name = {name:?} }}
resource "hub_network_policy" "api" {{
  name         = "api"
  namespace    = hub_namespace.ns.name
  pod_selector = {{ app = "api" }}
  allow_dns    = true
  allow_https_egress = {{ except = ["169.254.169.254/32"] }}
  allow_egress_to_databases = [{{ cidrs = ["10.0.20.0/24"], ports = [5432, 6379] }}]
  allow_ingress_from_same_namespace = {{ ports = [5000] }}
}}
"#,
        provider = provider()
    );
    let np_ns = name.clone();
    TestCase::new()
        .step(
            Step::new(config)
                .plan_check(|plan| {
                    let rc = plan.resource_change("hub_network_policy.api")?;
                    let rendered = rc.after("rendered").and_then(|v| v.as_str()).unwrap_or_default();
                    expect(
                        rendered.contains("\"kube-dns\"") && rendered.contains("6379"),
                        "rendered policy is readable in the plan",
                    )
                })
                .check(move |_| {
                    let live = with_kube(|c| async { Api::<NetworkPolicy>::namespaced(c, &np_ns).get("api").await })?;
                    let spec = serde_json::to_value(live.spec).map_err(err)?;
                    expect(
                        spec["egress"][0]["ports"][1] == json!({"port": 53, "protocol": "TCP"}),
                        "DNS over TCP kept",
                    )
                })
                .import_verify(
                    "hub_network_policy.api",
                    ImportId::Attribute("id".into()),
                    &[
                        "allow_dns",
                        "allow_https_egress",
                        "allow_egress_to_databases",
                        "allow_ingress_from_same_namespace",
                        "pod_selector",
                    ],
                ),
        )
        .run(cli)
}
