//! `ephemeral "hub_eks_token"` under every CLI that has ephemeral resources (OpenTofu ≥ 1.11, a PATH
//! Terraform ≥ 1.10), with two consumers configured only from the token, endpoint and CA, each creating
//! and destroying an object through the API server's EKS token webhook: a second `hub` provider block,
//! and the hashicorp/kubernetes provider itself (v3.2.1, built from its source snapshot by
//! `tests/tools/build.sh kubernetes-provider` and installed from the workspace's filesystem mirror). The
//! token is in neither the saved plan, the JSON plan, the state nor the `TF_LOG=trace` logs (hub's and
//! core's; the kubernetes provider logs the credentials it is given below INFO, so it runs at INFO).

use hub_acceptance::sandbox::CLUSTER_NAME;
use hub_acceptance::sandbox::Scope;
use hub_acceptance::support::{aws_workspace, aws_workspace_with, eks_provider_block, expect, fixture, with_kube};
use hub_acceptance::tf::{self, Action, Cli, Install, Peer, Workspace};
use k8s_openapi::api::core::v1::{ConfigMap, Namespace};
use kube::Api;

const TOKEN_PREFIX: &str = "k8s-aws-v1.";

fn namespace_exists(name: &str) -> tf::Result<bool> {
    let name = name.to_owned();
    with_kube(|c| async move { Api::<Namespace>::all(c).get_opt(&name).await })
        .map(|ns| ns.is_some_and(|n| n.metadata.deletion_timestamp.is_none()))
}

#[test]
fn acc_eks_token_configures_another_provider_and_stays_out_of_plan_and_state() -> tf::Result<()> {
    tf::for_each_cli_with(Cli::supports_ephemeral, |cli| {
        let scope = Scope::new("eks-token");
        let ns = scope.name("tok");
        let ws = aws_workspace(cli, &scope)?;
        ws.config(&format!(
            "{}\n{}",
            eks_provider_block(),
            fixture("ephemeral/eks_token.tf", &[("namespace", &ns)])
        ))?;
        let plan = ws.plan()?;
        plan.resource_change("hub_namespace.ns")?
            .expect_actions(&[Action::Create])?;
        let shown = ws.run(&["show", "-json", tf::PLAN_FILE])?.ok()?;
        expect(
            !shown.stdout.contains(TOKEN_PREFIX),
            "the saved plan holds no EKS token",
        )?;
        ws.apply_plan()?;
        expect(
            namespace_exists(&ns)?,
            "the provider configured from the token made the namespace",
        )?;
        let state = ws.read("terraform.tfstate")?;
        expect(!state.contains(TOKEN_PREFIX), "the state holds no EKS token")?;
        expect(
            !state.contains("\"mode\": \"ephemeral\""),
            &format!("the state holds no ephemeral resource:\n{state}"),
        )?;
        let replan = ws.plan()?;
        replan.expect_empty()?;
        ws.destroy()?.ok()?;
        expect(!namespace_exists(&ns)?, "destroyed through the same token")
    })
}

fn config_map_exists(name: &str) -> tf::Result<bool> {
    let name = name.to_owned();
    with_kube(|c| async move { Api::<ConfigMap>::namespaced(c, "default").get_opt(&name).await })
        .map(|cm| cm.is_some_and(|c| c.metadata.deletion_timestamp.is_none()))
}

/// The lines of the workspace's trace log that hold a token, then the log emptied for the next command.
fn token_lines(ws: &Workspace) -> tf::Result<Vec<String>> {
    let log = ws.read("trace.log").unwrap_or_default();
    expect(log.contains("tf_rpc"), "provider trace logging was on")?;
    ws.write("trace.log", "")?;
    Ok(log
        .lines()
        .filter(|l| l.contains(TOKEN_PREFIX))
        .map(|l| l.chars().take(200).collect())
        .collect())
}

#[test]
fn acc_kubernetes_provider_configured_from_eks_token_makes_a_config_map() -> tf::Result<()> {
    let peer = Peer::kubernetes()?;
    tf::for_each_cli_with(Cli::supports_ephemeral, |cli| {
        let scope = Scope::new("eks-token-k8s");
        let name = scope.name("cm");
        let mut ws = aws_workspace_with(cli, &scope, Install::FilesystemMirror)?;
        let log = ws.path().join("trace.log");
        // No kubeconfig to fall back on: the token is the only way in.
        ws.set_env("KUBECONFIG", "/nonexistent/kubeconfig");
        ws.set_env("TF_LOG", "trace");
        ws.set_env("TF_LOG_PROVIDER", "trace");
        // hashicorp/kubernetes logs its own credentials below INFO: its client configuration at TRACE
        // (manifest/provider/configure.go) and each request's Authorization header at DEBUG (the plugin SDK's
        // HTTP transport). That is the consumer's leak, whatever minted the token; hub and core stay at TRACE.
        ws.set_env("TF_LOG_PROVIDER_KUBERNETES", "info");
        ws.set_env("TF_LOG_PATH", log);
        peer.install(&ws)?;
        ws.config(&fixture(
            "ephemeral/kubernetes_provider.tf",
            &[
                ("kubernetes_source", peer.source),
                ("kubernetes_version", peer.version),
                ("cluster", CLUSTER_NAME),
                ("name", &name),
            ],
        ))?;
        ws.init()?.ok()?;
        ws.write("trace.log", "")?;
        let plan = ws.plan()?;
        plan.resource_change("kubernetes_config_map_v1.cm")?
            .expect_actions(&[Action::Create])?;
        let shown = ws.run(&["show", "-json", tf::PLAN_FILE])?.ok()?;
        expect(!shown.stdout.contains(TOKEN_PREFIX), "the JSON plan holds no EKS token")?;
        let planned = token_lines(&ws)?;
        expect(
            planned.is_empty(),
            &format!("the plan's trace log holds no token: {planned:#?}"),
        )?;
        ws.apply_plan()?;
        expect(config_map_exists(&name)?, "the kubernetes provider made the ConfigMap")?;
        let applied = token_lines(&ws)?;
        expect(
            applied.is_empty(),
            &format!("the apply's trace log holds no token: {applied:#?}"),
        )?;
        let state = ws.read("terraform.tfstate")?;
        expect(!state.contains(TOKEN_PREFIX), "the state holds no EKS token")?;
        ws.plan()?.expect_empty()?;
        ws.destroy()?.ok()?;
        let destroyed = token_lines(&ws)?;
        expect(
            destroyed.is_empty(),
            &format!("the destroy's trace log holds no token: {destroyed:#?}"),
        )?;
        expect(!config_map_exists(&name)?, "destroyed through the same token")
    })
}
