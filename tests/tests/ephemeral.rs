//! `ephemeral "hub_eks_token"` under every CLI that has ephemeral resources (OpenTofu ≥ 1.11, a PATH
//! Terraform ≥ 1.10), with two consumers configured only from the token, endpoint and CA, each creating
//! and destroying an object through the API server's EKS token webhook: a second `hub` provider block,
//! and the hashicorp/kubernetes provider itself (v3.2.1, built from its source snapshot by
//! `tests/tools/build.sh kubernetes-provider` and installed from the workspace's filesystem mirror). The
//! token is in neither the saved plan, the JSON plan, the state nor the `TF_LOG=trace` logs (hub's and
//! core's; the kubernetes provider logs the credentials it is given below INFO, so it runs at INFO).
//!
//! Renewal: against [`SHORT_LIVED_CLUSTER_NAME`], whose tokens the webhook accepts for only
//! [`SHORT_TOKEN_LIFETIME`], an apply holds between two ConfigMaps until a token signed after the first one
//! is rejected. Configured through `exec`, the kubernetes provider makes the second ConfigMap with a token
//! hub's `eks-token` plugin minted after that; configured through `token`, it fails with Unauthorized (the
//! control that shows the wait does outlive the token). The token's expiry in the plugin's ExecCredential
//! is what makes client-go run it again: with `renew_after` past the webhook's lifetime the `exec` form fails
//! with Unauthorized too (client-go refreshes after a 401 only for the next request). Measured: each of
//! these applies takes ~62 s; the file's four tests ~180 s under two CLIs.

use std::time::{Duration, Instant};

use hub_acceptance::sandbox::{
    ACCESS_KEY_ID, CLUSTER_NAME, EksToken, REGION, SECRET_ACCESS_KEY, SHORT_LIVED_CLUSTER_NAME, SHORT_TOKEN_LIFETIME,
    Scope,
};
use hub_acceptance::support::{
    aws_workspace, aws_workspace_with, block_on, eks_provider_block, expect, fixture, sandbox, with_kube,
};
use hub_acceptance::tf::{self, Action, Cli, Install, Peer, Workspace};
use hub_acceptance::wait::wait_for;
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
        let ws = kubernetes_workspace(cli, &scope, peer, CLUSTER_NAME, "ephemeral/provider_token.tf")?;
        ws.write("resources.tf", &fixture("ephemeral/config_map.tf", &[("name", &name)]))?;
        plan_holds_no_token(&ws, "kubernetes_config_map_v1.cm")?;
        ws.apply_plan()?;
        expect(config_map_exists(&name)?, "the kubernetes provider made the ConfigMap")?;
        apply_left_no_token(&ws)?;
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

/// An initialised workspace with hub, the kubernetes provider (configured as `provider_file` says) and
/// `hub_eks_token` for `cluster`, renewed after 20 s; the resources are the caller's. hub and core log at
/// TRACE into `trace.log`; there is no kubeconfig to fall back on.
fn kubernetes_workspace(
    cli: &Cli,
    scope: &Scope,
    peer: &Peer,
    cluster: &str,
    provider_file: &str,
) -> tf::Result<Workspace> {
    let mut ws = aws_workspace_with(cli, scope, Install::FilesystemMirror)?;
    let log = ws.path().join("trace.log");
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
        "ephemeral/kubernetes_base.tf",
        &[
            ("kubernetes_source", peer.source),
            ("kubernetes_version", peer.version),
            ("cluster", cluster),
            ("renew_after", "20s"),
        ],
    ))?;
    ws.write("provider.tf", &fixture(provider_file, &[]))?;
    ws.init()?.ok()?;
    Ok(ws)
}

/// Plans (it must create `address`) and checks that neither the JSON plan nor the trace log holds a token.
fn plan_holds_no_token(ws: &Workspace, address: &str) -> tf::Result<()> {
    ws.write("trace.log", "")?;
    ws.plan()?.resource_change(address)?.expect_actions(&[Action::Create])?;
    let shown = ws.run(&["show", "-json", tf::PLAN_FILE])?.ok()?;
    expect(!shown.stdout.contains(TOKEN_PREFIX), "the JSON plan holds no EKS token")?;
    let planned = token_lines(ws)?;
    expect(
        planned.is_empty(),
        &format!("the plan's trace log holds no token: {planned:#?}"),
    )
}

/// Checks that neither the apply's trace log nor the state holds a token.
fn apply_left_no_token(ws: &Workspace) -> tf::Result<()> {
    let applied = token_lines(ws)?;
    expect(
        applied.is_empty(),
        &format!("the apply's trace log holds no token: {applied:#?}"),
    )?;
    let state = ws.read("terraform.tfstate")?;
    expect(!state.contains(TOKEN_PREFIX), "the state holds no EKS token")
}

/// Whether the API server accepts `token` (a 401 is `Ok(false)`; any other failure is an error).
fn api_server_accepts(token: &str) -> Result<bool, String> {
    block_on(async {
        let client = sandbox()
            .kube_client_with_token(token)
            .await
            .map_err(|e| e.to_string())?;
        match Api::<Namespace>::all(client).get("default").await {
            Ok(_) => Ok(true),
            Err(kube::Error::Api(e)) if e.code == 401 => Ok(false),
            Err(e) => Err(e.to_string()),
        }
    })
}

/// Whether the `type` of an `apply -json` line is `apply_complete` for `address`.
fn completed(line: &str, address: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(line)
        .is_ok_and(|v| v["type"] == "apply_complete" && v["hook"]["resource"]["addr"] == address)
}

/// Plans and applies `long_apply.tf` with `provider_file` as the kubernetes provider block, releasing the
/// wait between the two ConfigMaps once a token signed after the first one is rejected; returns the
/// apply's output, whatever its outcome. Checks that no token reached the plan, the state or the logs.
fn outlive_a_token(cli: &Cli, scope: &Scope, provider_file: &str) -> tf::Result<(Workspace, String, tf::Output)> {
    let peer = Peer::kubernetes()?;
    let name = scope.name("cm");
    let ws = kubernetes_workspace(cli, scope, peer, SHORT_LIVED_CLUSTER_NAME, provider_file)?;
    ws.write("resources.tf", &fixture("ephemeral/long_apply.tf", &[("name", &name)]))?;
    plan_holds_no_token(&ws, "kubernetes_config_map_v1.second")?;

    let started = Instant::now();
    let mut apply = ws.spawn(&["apply", "-json", "-input=false", tf::PLAN_FILE])?;
    apply.wait_for_stdout(Duration::from_secs(120), |l| {
        completed(l, "kubernetes_config_map_v1.first")
    })?;
    // Every token the kubernetes provider has used so far was signed before this one.
    let probe = EksToken::new(SHORT_LIVED_CLUSTER_NAME, ACCESS_KEY_ID, SECRET_ACCESS_KEY, REGION)
        .mint()
        .map_err(|e| tf::Error::assertion(e.to_string()))?;
    expect(
        api_server_accepts(&probe) == Ok(true),
        "a fresh token for the short-lived cluster name is accepted",
    )?;
    wait_for(
        SHORT_TOKEN_LIFETIME * 3,
        "the API server to reject the probe token",
        || match api_server_accepts(&probe) {
            Ok(false) => Ok(()),
            Ok(true) => Err("still accepted".to_owned()),
            Err(e) => Err(e),
        },
    );
    let expired_after = started.elapsed();
    ws.write("released", "")?;
    let out = apply.wait(Duration::from_secs(300))?;
    eprintln!(
        "{cli} {provider_file}: first token expired {expired_after:?} into the apply, which took {:?}",
        started.elapsed()
    );
    expect(
        expired_after >= SHORT_TOKEN_LIFETIME,
        "the apply ran past the token lifetime before the second ConfigMap",
    )?;
    apply_left_no_token(&ws)?;
    Ok((ws, name, out))
}

#[test]
fn acc_kubernetes_provider_configured_through_exec_outlives_the_token() -> tf::Result<()> {
    tf::for_each_cli_with(Cli::supports_ephemeral, |cli| {
        let scope = Scope::new("eks-token-exec");
        let (ws, name, out) = outlive_a_token(cli, &scope, "ephemeral/provider_exec.tf")?;
        out.ok()?;
        expect(
            config_map_exists(&format!("{name}-first"))?,
            "the first ConfigMap exists",
        )?;
        expect(
            config_map_exists(&format!("{name}-second"))?,
            "the second ConfigMap was made after the first token expired",
        )?;
        ws.plan()?.expect_empty()?;
        ws.destroy()?.ok()?;
        let destroyed = token_lines(&ws)?;
        expect(
            destroyed.is_empty(),
            &format!("the destroy's trace log holds no token: {destroyed:#?}"),
        )?;
        expect(
            !config_map_exists(&format!("{name}-first"))? && !config_map_exists(&format!("{name}-second"))?,
            "both ConfigMaps destroyed",
        )
    })
}

#[test]
fn acc_kubernetes_provider_configured_through_token_fails_past_the_token_lifetime() -> tf::Result<()> {
    tf::for_each_cli_with(Cli::supports_ephemeral, |cli| {
        let scope = Scope::new("eks-token-expired");
        let (ws, name, out) = outlive_a_token(cli, &scope, "ephemeral/provider_token.tf")?;
        let out = out.failed()?;
        let text = format!("{}\n{}", out.stdout, out.stderr);
        expect(
            text.contains("Unauthorized"),
            &format!("the second ConfigMap was refused as Unauthorized:\n{text}"),
        )?;
        expect(
            config_map_exists(&format!("{name}-first"))?,
            "the first ConfigMap exists",
        )?;
        expect(
            !config_map_exists(&format!("{name}-second"))?,
            "no second ConfigMap with an expired token",
        )?;
        ws.destroy()?.ok()?;
        expect(
            !config_map_exists(&format!("{name}-first"))?,
            "cleaned up with a new token",
        )
    })
}
