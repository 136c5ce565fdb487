//! `hub_network_policy`'s EKS enforcement check against the local plane: the sandbox's EKS API (moto plus
//! the add-on endpoints of tests/tools/moto/sandbox_moto.py) answers `DescribeAddon` for `vpc-cni`.
//! One sequential test, because the add-on is shared state of the sandbox cluster.

use hub_acceptance::sandbox::{CLUSTER_NAME, Scope};
use hub_acceptance::support::{aws_workspace, block_on, err, expect, provider_block, sandbox, with_kube};
use hub_acceptance::tf::{self, DiagMatch, Plan, Workspace};
use k8s_openapi::api::networking::v1::NetworkPolicy;
use kube::Api;

fn config(ns: &str, mode: &str, cluster: &str) -> String {
    format!(
        r#"{provider}
resource "hub_namespace" "ns" {{
  name = {ns:?}
}}
resource "hub_network_policy" "api" {{
  name              = "api"
  namespace         = hub_namespace.ns.name
  deny_all_ingress  = true
  allow_dns         = true
  enforcement_check = {mode:?}
  cluster_name      = {cluster:?}
}}
"#,
        provider = provider_block("  region = \"us-east-1\"\n")
    )
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
