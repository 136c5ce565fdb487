//! `ephemeral "hub_eks_token"` under every CLI that has ephemeral resources (OpenTofu ≥ 1.11, a PATH
//! Terraform ≥ 1.10): a second `hub` provider block configured only from the token, endpoint and CA
//! creates and destroys a namespace through the API server's EKS token webhook, and the token is in
//! neither the saved plan nor the state. (The hashicorp/kubernetes provider is the consumer users have in
//! mind; it is not served by the Go module proxy here, so a provider block of hub's stands in for it.)

use hub_acceptance::sandbox::Scope;
use hub_acceptance::support::{aws_workspace, eks_provider_block, expect, fixture, with_kube};
use hub_acceptance::tf::{self, Action, Cli};
use k8s_openapi::api::core::v1::Namespace;
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
