//! `hub_network_policy` against the local plane: the seed's policy through the step runner (the API server
//! accepts what is rendered in the plan, import-verify), and the EKS enforcement check: the sandbox's EKS
//! API (moto plus the add-on endpoints of tests/tools/moto/sandbox_moto.py) answers `DescribeAddon` for
//! `vpc-cni`. The enforcement check is one sequential test, because the add-on is shared state of the
//! sandbox cluster. Configurations are fixtures under `testdata/network_policy/`.

use hub_acceptance::sandbox::{CLUSTER_NAME, Scope};
use hub_acceptance::support::{
    aws_workspace, block_on, err, expect, fixture, fixture_config, provider_block, sandbox, with_kube,
};
use hub_acceptance::tf::{self, DiagMatch, ImportId, Plan, Step, TestCase, Unverifiable, Workspace};
use k8s_openapi::api::networking::v1::NetworkPolicy;
use kube::Api;
use serde_json::json;

/// Presets are intentions (DNS, HTTPS, databases ...) that a live NetworkPolicy does not record: import
/// recognises them by their rules' shapes, so a custom rule of a preset's shape reads back as that preset.
const PRESET: &str = "read back from the shape of its rule, which a custom rule can share";
/// Rules after the presets' read back as custom rules; one of a preset's shape may read back as a preset.
const AS_CUSTOM: &str = "a custom rule of a preset's shape reads back as that preset";

/// What `import` of a `hub_network_policy` cannot know.
const UNVERIFIABLE: &[Unverifiable] = &[
    Unverifiable::new("allow_dns", PRESET),
    Unverifiable::new("allow_pod_identity_agent", PRESET),
    Unverifiable::new("allow_https_egress", PRESET),
    Unverifiable::new("allow_egress_to_databases", PRESET),
    Unverifiable::new("allow_ingress_from_same_namespace", PRESET),
    Unverifiable::new("ingress", AS_CUSTOM),
    Unverifiable::new(
        "deny_all_ingress",
        "read back only for a direction isolated without rules; with rules it is implied",
    ),
    Unverifiable::new("egress", AS_CUSTOM),
];

/// The enforcement fixture for namespace `ns`, check `mode` against cluster `cluster`, in EKS's region.
fn config(ns: &str, mode: &str, cluster: &str) -> String {
    format!(
        "{}\n{}",
        provider_block("  region = \"us-east-1\"\n"),
        fixture(
            "network_policy/enforcement.tf",
            &[("namespace", ns), ("mode", mode), ("cluster", cluster)]
        )
    )
}

#[test]
fn acc_network_policy_seed_003_accepted_by_the_api_server() -> tf::Result<()> {
    let ns = Scope::new("netpol").name("np");
    let np_ns = ns.clone();
    TestCase::new()
        .step(
            Step::new(fixture_config("network_policy/seed_003.tf", &[("namespace", &ns)]))
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
                    )?;
                    let agent =
                        with_kube(|c| async { Api::<NetworkPolicy>::namespaced(c, &np_ns).get("pod-identity").await })?;
                    let agent = serde_json::to_value(agent.spec).map_err(err)?;
                    expect(
                        agent["egress"][1]
                            == json!({"to": [{"ipBlock": {"cidr": "169.254.170.23/32"}}, {"ipBlock": {"cidr": "fd00:ec2::23/128"}}],
                                      "ports": [{"port": 80, "protocol": "TCP"}]}),
                        &format!("the Pod Identity agent is reachable after DNS: {agent}"),
                    )
                })
                .import_verify("hub_network_policy.api", ImportId::Attribute("id".into()), UNVERIFIABLE),
        )
        .run(tf::opentofu()?)
}

/// Replaces the sandbox cluster's `vpc-cni` add-on with one configured by `values` (`None`: no add-on).
fn vpc_cni(values: Option<&str>) -> tf::Result<()> {
    block_on(async {
        let eks = aws_sdk_eks::Client::new(&sandbox().aws_config().await);
        let _ = eks
            .delete_addon()
            .cluster_name(CLUSTER_NAME)
            .addon_name("vpc-cni")
            .send()
            .await;
        if let Some(values) = values {
            eks.create_addon()
                .cluster_name(CLUSTER_NAME)
                .addon_name("vpc-cni")
                .configuration_values(values)
                .send()
                .await
                .map_err(|e| err(format!("{e:?}")))?;
        }
        Ok(())
    })
}

fn warns(plan: &Plan, summary: &str) -> bool {
    plan.diagnostics.expect(&DiagMatch::warning().summary(summary)).is_ok()
}

#[test]
fn acc_network_policy_enforcement_check() -> tf::Result<()> {
    let scope = Scope::new("np-enforce");
    let ns = scope.name("apps");
    let ws: Workspace = aws_workspace(tf::opentofu()?, &scope)?;

    // No vpc-cni add-on: a warning that says what to check, and the plan goes on.
    vpc_cni(None)?;
    ws.config(&config(&ns, "warn", CLUSTER_NAME))?;
    let plan = ws.plan()?;
    expect(
        warns(&plan, "Network Policy Enforcement Unknown"),
        "warns that it cannot tell",
    )?;

    // The agent off: a warning, or with "error" a refused plan naming the attribute, before any write.
    vpc_cni(Some(r#"{"enableNetworkPolicy":"false"}"#))?;
    expect(
        warns(&ws.plan()?, "Network Policy Not Enforced"),
        "warns: stored but not enforced",
    )?;
    ws.config(&config(&ns, "error", CLUSTER_NAME))?;
    ws.plan_err()?.diagnostics().expect(
        &DiagMatch::error()
            .summary("Network Policy Not Enforced")
            .detail("enableNetworkPolicy")
            .attribute("enforcement_check"),
    )?;
    let n = ns.clone();
    let policy = with_kube(|c| async move { Api::<NetworkPolicy>::namespaced(c, &n).get_opt("api").await })?;
    expect(policy.is_none(), "nothing written by the refused plan")?;

    // The agent on: no diagnostic, and the policy applies.
    vpc_cni(Some(
        r#"{"enableNetworkPolicy":"true","nodeAgent":{"enablePolicyEventLogs":"true"}}"#,
    ))?;
    let plan = ws.plan()?;
    expect(
        !warns(&plan, "Network Policy") && plan.diagnostics.errors().next().is_none(),
        "no enforcement diagnostic once the agent is on",
    )?;
    ws.apply()?.ok()?;

    // EKS cannot answer (no such cluster): a clear warning, never a failure.
    ws.config(&config(&ns, "error", "no-such-cluster"))?;
    let plan = ws.plan()?;
    expect(
        plan.diagnostics
            .expect(
                &DiagMatch::warning()
                    .summary("Network Policy Enforcement Unknown")
                    .detail("DescribeAddon"),
            )
            .is_ok(),
        "degrades to a warning naming the failed call",
    )?;
    ws.config(&config(&ns, "off", CLUSTER_NAME))?;
    ws.destroy()?.ok()?;
    vpc_cni(None)
}
