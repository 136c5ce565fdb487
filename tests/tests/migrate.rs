//! Bringing objects another workspace made under a new one (issue 21): `import` blocks by id (OpenTofu and
//! Terraform 1.13) or by resource identity (Terraform 1.12+) with `plan -generate-config-out`, then a plan
//! that changes nothing. Configurations are fixtures under `testdata/migrate/`.

use hub_acceptance::sandbox::Scope;
use hub_acceptance::support::{aws_fixture_config, aws_workspace, err, expect, fixture, provider_block};
use hub_acceptance::tf::{self, Action, Cli, Plan, Workspace};
use serde_json::json;

/// Every resource type the fixtures import.
const ADDRESSES: &[&str] = &[
    "hub_namespace.ns",
    "hub_app.api",
    "hub_network_policy.api",
    "hub_irsa_binding.api",
];

/// The names one run uses: `(namespace, role)`.
fn names(scope: &Scope) -> (String, String) {
    (scope.name("mig"), format!("{}api", scope.iam_prefix()))
}

/// Every fixture resource is imported and nothing else changes.
fn expect_imports_only(plan: &Plan) -> tf::Result<()> {
    for address in ADDRESSES {
        let change = plan.resource_change(address)?;
        expect(
            change.json()["change"]["importing"].is_object(),
            &format!("{address} is imported"),
        )?;
        if change.actions != [Action::NoOp] {
            let c = &change.json()["change"];
            return Err(err(format!(
                "{address} plans {:?} after import, not a no-op:\nbefore {}\nafter {}",
                change.actions, c["before"], c["after"]
            )));
        }
    }
    plan.expect_empty()
}

/// A new workspace holding only the provider block and the `imports` fixture.
fn importing_workspace(cli: &Cli, scope: &Scope, imports: &str, vars: &[(&str, &str)]) -> tf::Result<Workspace> {
    let ws = aws_workspace(cli, scope)?;
    ws.config(&format!(
        "{}\n{}",
        provider_block("  region = \"us-east-1\"\n"),
        fixture(imports, vars)
    ))?;
    Ok(ws)
}

/// Applies `live.tf` in a workspace of its own, as another team's workspace would have; then, in a new
/// workspace holding only the provider block and the `imports` fixture, generates the configuration, plans
/// imports and nothing else, and applies them. Returns the importing workspace; the live one destroys the
/// objects whatever the outcome.
fn import_with_generated_config(
    cli: &Cli,
    name: &str,
    imports: &str,
    check: impl FnOnce(&Workspace, &str, &str) -> tf::Result<()>,
) -> tf::Result<()> {
    let scope = Scope::new(name);
    let (ns, role) = names(&scope);
    let vars = [("namespace", ns.as_str()), ("role", role.as_str())];
    let live = aws_workspace(cli, &scope)?;
    live.config(&aws_fixture_config("migrate/live.tf", &vars))?;
    let result = live.apply().and_then(|_| {
        let ws = importing_workspace(cli, &scope, imports, &vars)?;
        let out = ws.run(&["plan", "-input=false", "-no-color", "-generate-config-out=generated.tf"])?;
        let generated = ws.read("generated.tf").unwrap_or_default();
        println!("[{cli}] generated.tf:\n{generated}");
        out.ok()?;
        for address in ADDRESSES {
            let (ty, name) = address.split_once('.').unwrap_or_default();
            expect(
                generated.contains(&format!("resource \"{ty}\" \"{name}\"")),
                &format!("a block for {address}"),
            )?;
        }
        let plan = ws.plan()?;
        expect_imports_only(&plan)?;
        ws.apply_plan()?;
        ws.plan()?.expect_empty()?;
        check(&ws, &ns, &role)?;
        // The live workspace destroys the objects; this one forgets them.
        for address in ADDRESSES {
            ws.run(&["state", "rm", address])?.ok()?;
        }
        Ok(())
    });
    let destroyed = live.destroy().map(drop);
    result.and(destroyed)
}

/// `import` by id plus `plan -generate-config-out`: a block for every resource type that plans no change.
#[test]
fn acc_generated_config_plans_no_change() -> tf::Result<()> {
    tf::for_each_listed(vec![tf::opentofu()?, Cli::terraform_new()?], |cli| {
        import_with_generated_config(cli, "mig-gen", "migrate/import_by_id.tf", |_, _, _| Ok(()))
    })
}

/// `import { identity = {...} }` for every resource type: the same, and state holds each identity.
#[test]
fn acc_import_by_identity_plans_no_change() -> tf::Result<()> {
    tf::for_each_cli_with(Cli::supports_identity, |cli| {
        import_with_generated_config(cli, "mig-id", "migrate/import_by_identity.tf", |ws, ns, role| {
            let state = ws.state()?;
            for (address, identity) in [
                ("hub_namespace.ns", json!({"name": ns})),
                ("hub_app.api", json!({"namespace": ns, "name": "api"})),
                ("hub_network_policy.api", json!({"namespace": ns, "name": "api"})),
                ("hub_irsa_binding.api", json!({"role_name": role})),
            ] {
                let got = state.resource(address)?.identity;
                expect(
                    got == &identity,
                    &format!("{address} has identity {identity}, got {got}"),
                )?;
            }
            Ok(())
        })
    })
}

/// An app's secret values never reach the generated file: core writes a placeholder, and the plan warns
/// that applying it as it is deletes the Secret, naming its keys.
#[test]
fn acc_generated_config_holds_no_secret_and_the_plan_warns() -> tf::Result<()> {
    tf::for_each_listed(vec![tf::opentofu()?, Cli::terraform_new()?], |cli| {
        let scope = Scope::new("mig-secret");
        let ns = scope.name("mig");
        let vars = [("namespace", ns.as_str())];
        let live = aws_workspace(cli, &scope)?;
        live.config(&aws_fixture_config("app/lifecycle_1_create.tf", &vars))?;
        let result = live.apply().and_then(|_| {
            let ws = importing_workspace(cli, &scope, "migrate/import_secret.tf", &vars)?;
            ws.run(&["plan", "-input=false", "-no-color", "-generate-config-out=generated.tf"])?
                .ok()?;
            let generated = ws.read("generated.tf")?;
            expect(!generated.contains("hunter2"), "no secret value in the generated file")?;
            expect(
                generated
                    .lines()
                    .any(|l| l.trim_start().starts_with("secret_env ") && l.contains("null # sensitive")),
                &format!("a placeholder for secret_env in:\n{generated}"),
            )?;
            let plan = ws.plan()?;
            expect(
                plan.diagnostics
                    .0
                    .iter()
                    .any(|d| d.summary == "Imported Secret Will Be Deleted" && d.detail.contains("DB_PASSWORD")),
                &format!("the plan warns about the Secret: {:?}", plan.diagnostics),
            )?;
            ws.run(&["state", "list"]).map(drop)
        });
        let destroyed = live.destroy().map(drop);
        result.and(destroyed)
    })
}
