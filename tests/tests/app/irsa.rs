//! `hub_app` wired to `hub_irsa_binding` with `service_account = { irsa = hub_irsa_binding.x }`: the
//! service account carries the role, a new role rolls the pods, and a binding that trusts another service
//! account is refused at plan, before anything is written.

use hub_acceptance::sandbox::Scope;
use hub_acceptance::support::{aws_workspace, expect, provider_block, with_kube};
use hub_acceptance::tf::{self, Action, DiagMatch, Workspace};
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::ServiceAccount;
use kube::Api;

fn config(ns: &str, role: &str, trusted_account: &str) -> String {
    format!(
        r#"{provider}
resource "hub_namespace" "ns" {{ name = {ns:?} }}
resource "hub_irsa_binding" "api" {{
  cluster_name    = "hub-sandbox"
  namespace       = hub_namespace.ns.name
  service_account = {trusted_account:?}
  role_name       = {role:?}
  s3_buckets      = [{{ bucket = "my-app-bucket" }}]
}}
resource "hub_app" "api" {{
  name            = "api"
  namespace       = hub_namespace.ns.name
  image           = "hub-workload:1.0"
  replicas        = 2
  service_account = {{ irsa = hub_irsa_binding.api }}
  rollout         = {{ timeout = "90s" }}
}}
"#,
        provider = provider_block("  region = \"us-east-1\"\n")
    )
}

/// The role ARN on the live ServiceAccount and the pod template's config checksum.
fn live(ns: &str) -> tf::Result<(String, String)> {
    let ns = ns.to_owned();
    with_kube(|c| async move {
        let sa = Api::<ServiceAccount>::namespaced(c.clone(), &ns).get("api").await?;
        let d = Api::<Deployment>::namespaced(c, &ns).get("api").await?;
        let role = sa
            .metadata
            .annotations
            .unwrap_or_default()
            .remove("eks.amazonaws.com/role-arn");
        let checksum = d
            .spec
            .and_then(|s| s.template.metadata)
            .and_then(|m| m.annotations)
            .and_then(|mut a| a.remove("hub.io/config-checksum"));
        Ok((role.unwrap_or_default(), checksum.unwrap_or_default()))
    })
}

#[test]
fn acc_app_takes_its_role_from_the_binding_and_rolls_on_role_change() -> tf::Result<()> {
    let scope = Scope::new("app-irsa");
    let ns = scope.name("apps");
    let (first, second) = (
        format!("{}api1", scope.iam_prefix()),
        format!("{}api2", scope.iam_prefix()),
    );
    let ws: Workspace = aws_workspace(tf::opentofu()?, &scope)?;

    ws.config(&config(&ns, &first, "api"))?;
    ws.plan()?
        .resource_change("hub_app.api")?
        .expect_actions(&[Action::Create])?;
    ws.apply()?.ok()?;
    let state = ws.state()?;
    let arn = state.resource("hub_irsa_binding.api")?.str("role_arn")?.to_owned();
    let (role, checksum) = live(&ns)?;
    expect(
        role == arn,
        &format!("service account annotated with {arn}, got {role:?}"),
    )?;
    ws.plan()?.expect_empty()?;

    // A new role (the binding is replaced): the app plans an update, and the pods roll.
    ws.config(&config(&ns, &second, "api"))?;
    ws.plan()?
        .resource_change("hub_app.api")?
        .expect_actions(&[Action::Update])?;
    ws.apply()?.ok()?;
    let (role, new_checksum) = live(&ns)?;
    expect(
        role.ends_with(&format!("/{second}")),
        &format!("annotation names {second}, got {role:?}"),
    )?;
    expect(new_checksum != checksum, "the pod template changed, so the pods rolled")?;
    ws.plan()?.expect_empty()?;

    // A binding for another service account is refused before any write.
    ws.config(&config(&ns, &second, "worker"))?;
    ws.plan_err()?.diagnostics().expect(
        &DiagMatch::error()
            .summary("IRSA Binding For Another Service Account")
            .detail("system:serviceaccount"),
    )?;
    let (role, _) = live(&ns)?;
    expect(
        role.ends_with(&format!("/{second}")),
        "nothing was written by the refused plan",
    )?;
    ws.config(&config(&ns, &second, "api"))?;
    ws.destroy()?.ok()?;
    Ok(())
}

/// Terraform converts the whole binding object to the `irsa` attribute's type (extra attributes dropped)
/// under every CLI; the role ARN is known at plan, so the plan already shows the annotation.
#[test]
fn acc_app_irsa_reference_plans_under_every_cli() -> tf::Result<()> {
    tf::for_each_cli(|cli| {
        let scope = Scope::new("app-irsa-cli");
        let role = format!("{}api", scope.iam_prefix());
        let ws = aws_workspace(cli, &scope)?;
        ws.config(&config(&scope.name("apps"), &role, "api"))?;
        let plan = ws.plan()?;
        let rc = plan.resource_change("hub_app.api")?;
        rc.expect_actions(&[Action::Create])?;
        let account = rc
            .after("rendered")
            .and_then(|r| r["ServiceAccount/api"].as_str())
            .unwrap_or_default();
        expect(
            account.contains(&format!(":role/{role}")),
            &format!("the planned ServiceAccount carries the role annotation: {account}"),
        )
    })
}
