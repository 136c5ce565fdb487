//! `hub_app` wired to `hub_irsa_binding` with `service_account = { irsa = hub_irsa_binding.x }`: the
//! service account carries the role, a new role rolls the pods, and a binding that trusts another service
//! account is refused at plan, before anything is written.

use hub_acceptance::sandbox::Scope;
use std::sync::{Arc, OnceLock};

use hub_acceptance::support::{aws_case, aws_fixture_config, aws_workspace, expect, with_kube};
use hub_acceptance::tf::{self, Action, DiagMatch, Step};
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::ServiceAccount;
use kube::Api;

/// `testdata/app/irsa.tf` for namespace `ns`, role `role`, the binding trusting `trusted_account` with IRSA.
fn config(ns: &str, role: &str, trusted_account: &str) -> String {
    binding_config(ns, role, trusted_account, "irsa")
}

/// `testdata/app/irsa.tf` with the binding's `mechanism`.
fn binding_config(ns: &str, role: &str, trusted_account: &str, mechanism: &str) -> String {
    aws_fixture_config(
        "app/irsa.tf",
        &[
            ("namespace", ns),
            ("role", role),
            ("service_account", trusted_account),
            ("mechanism", mechanism),
        ],
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

/// The role on the service account, a new role rolling the pods, and a binding for another service
/// account refused before any write.
#[test]
fn acc_app_takes_its_role_from_the_binding_and_rolls_on_role_change() -> tf::Result<()> {
    let scope = Scope::new("app-irsa");
    let ns = scope.name("apps");
    let (first, second) = (
        format!("{}api1", scope.iam_prefix()),
        format!("{}api2", scope.iam_prefix()),
    );
    // The pod template's checksum after the first step, to see the pods roll in the second.
    let checksum: Arc<OnceLock<String>> = Arc::default();
    let role_is = |role: &str| {
        let (ns, suffix) = (ns.clone(), format!("/{role}"));
        move |_: &tf::State| {
            let (live, _) = live(&ns)?;
            expect(
                live.ends_with(&suffix),
                &format!("annotation names {suffix}, got {live:?}"),
            )
        }
    };
    aws_case(&scope)
        .step(
            Step::new(config(&ns, &first, "api"))
                .plan_check(|plan| {
                    plan.resource_change("hub_app.api")?
                        .expect_actions(&[Action::Create])
                        .map(drop)
                })
                .check({
                    let (ns, checksum) = (ns.clone(), checksum.clone());
                    move |state| {
                        let arn = state.resource("hub_irsa_binding.api")?.str("role_arn")?.to_owned();
                        let (role, sum) = live(&ns)?;
                        let _ = checksum.set(sum);
                        expect(
                            role == arn,
                            &format!("service account annotated with {arn}, got {role:?}"),
                        )
                    }
                }),
        )
        .step(
            // A new role (the binding is replaced): the app plans an update, and the pods roll.
            Step::new(config(&ns, &second, "api"))
                .plan_check(|plan| {
                    plan.resource_change("hub_app.api")?
                        .expect_actions(&[Action::Update])
                        .map(drop)
                })
                .check(role_is(&second))
                .check({
                    let (ns, checksum) = (ns.clone(), checksum.clone());
                    move |_| {
                        let (_, sum) = live(&ns)?;
                        expect(
                            checksum.get() != Some(&sum),
                            "the pod template changed, so the pods rolled",
                        )
                    }
                }),
        )
        .step(
            // A binding for another service account is refused before any write.
            Step::new(config(&ns, &second, "worker")).expect_error(
                DiagMatch::error()
                    .summary("IRSA Binding For Another Service Account")
                    .detail("system:serviceaccount"),
            ),
        )
        .step(
            // Nothing was written by the refused plan: the previous configuration plans nothing.
            Step::new(config(&ns, &second, "api"))
                .plan_check(|plan| plan.expect_empty())
                .check(role_is(&second)),
        )
        .run(tf::opentofu()?)
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

/// The binding switched from IRSA to Pod Identity under every CLI: the whole binding object converts to
/// the `irsa` attribute (its mechanism and association IDs with it), the app plans an update, the
/// annotation goes (EKS refuses it beside an association) and the pods roll to pick up the new credentials.
#[test]
fn acc_app_follows_its_binding_to_pod_identity_and_rolls() -> tf::Result<()> {
    tf::for_each_cli(|cli| {
        let scope = Scope::new("app-podid");
        let ns = scope.name("apps");
        let role = format!("{}api", scope.iam_prefix());
        let checksum: Arc<OnceLock<String>> = Arc::default();
        aws_case(&scope)
            .step(Step::new(binding_config(&ns, &role, "api", "irsa")).check({
                let (ns, checksum) = (ns.clone(), checksum.clone());
                move |_| {
                    let (annotation, sum) = live(&ns)?;
                    let _ = checksum.set(sum);
                    expect(!annotation.is_empty(), "IRSA: the service account carries the role")
                }
            }))
            .step(
                Step::new(binding_config(&ns, &role, "api", "pod_identity"))
                    .plan_check(|plan| {
                        plan.resource_change("hub_app.api")?
                            .expect_actions(&[Action::Update])
                            .map(drop)
                    })
                    .check({
                        let (ns, checksum) = (ns.clone(), checksum.clone());
                        move |state| {
                            let ids = state.resource("hub_irsa_binding.api")?.attr("association_ids");
                            expect(
                                ids.is_some_and(|m| m["hub-sandbox"].is_string()),
                                &format!("the binding made an association: {ids:?}"),
                            )?;
                            let (annotation, sum) = live(&ns)?;
                            expect(annotation.is_empty(), "Pod Identity: no role annotation")?;
                            expect(
                                checksum.get().is_some_and(|before| *before != sum),
                                "the pod template changed, so the pods rolled",
                            )
                        }
                    }),
            )
            .run(cli)
    })
}
