//! Bringing objects another workspace made under a new one (issue 21): `import` blocks by id with
//! `plan -generate-config-out` (OpenTofu and Terraform 1.13), and by resource identity (Terraform 1.12+),
//! each followed by a plan that changes nothing. Configurations are fixtures under `testdata/migrate/`.

use hub_acceptance::sandbox::Scope;
use hub_acceptance::support::{aws_fixture_config, aws_workspace, err, expect, fixture, provider_block};
use hub_acceptance::tf::{self, Action, Cli, Plan, Workspace};

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

/// Applies `live.tf` in a workspace of its own, as another team's workspace would have.
fn make_live(cli: &Cli, scope: &Scope) -> tf::Result<Workspace> {
    let (ns, role) = names(scope);
    let ws = aws_workspace(cli, scope)?;
    ws.config(&aws_fixture_config("migrate/live.tf", &[("namespace", &ns), ("role", &role)]))?;
    ws.apply()?;
    Ok(ws)
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

/// Runs `test`, then destroys what the live workspace made, whatever the outcome.
fn with_live(cli: &Cli, name: &str, test: impl FnOnce(&Scope, &Workspace) -> tf::Result<()>) -> tf::Result<()> {
    let scope = Scope::new(name);
    let live = make_live(cli, &scope)?;
    let result = test(&scope, &live);
    let destroyed = live.destroy().map(drop);
    result.and(destroyed)
}

/// `import` by id plus `plan -generate-config-out` writes blocks for every resource type that plan to no
/// change, and no secret value reaches the generated file.
#[test]
fn acc_generated_config_plans_no_change() -> tf::Result<()> {
    let clis = vec![tf::opentofu()?, Cli::terraform_new()?];
    tf::for_each_listed(clis, |cli| {
        with_live(cli, "mig-gen", |scope, _| {
            let (ns, role) = names(scope);
            let ws = aws_workspace(cli, scope)?;
            let imports = fixture("migrate/import_by_id.tf", &[("namespace", &ns), ("role", &role)]);
            ws.config(&format!("{}\n{imports}", provider_block("  region = \"us-east-1\"\n")))?;
            let out = ws.run(&["plan", "-input=false", "-no-color", "-generate-config-out=generated.tf"])?;
            let generated = ws.read("generated.tf").unwrap_or_default();
            println!("[{cli}] generated.tf:\n{generated}");
            out.ok()?;
            expect(!generated.contains("hunter2"), "no secret value in the generated file")?;
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
            // The live workspace destroys the objects; this one forgets them.
            for address in ADDRESSES {
                ws.run(&["state", "rm", address])?.ok()?;
            }
            Ok(())
        })
    })
}

/// `import { identity = {...} }` for every resource type, with the live configuration: a plan of imports
/// only, and state that holds each object's identity.
#[test]
fn acc_import_by_identity_plans_no_change() -> tf::Result<()> {
    tf::for_each_cli_with(Cli::supports_identity, |cli| {
        with_live(cli, "mig-id", |scope, live| {
            let (ns, role) = names(scope);
            let state = live.state()?;
            let app = state.resource("hub_app.api")?;
            expect(
                app.identity == &serde_json::json!({"namespace": ns, "name": "api"}),
                &format!("the app's identity in state, got {}", app.identity),
            )?;
            let ws = live.fresh_copy()?;
            ws.write(
                "imports.tf",
                &fixture("migrate/import_by_identity.tf", &[("namespace", &ns), ("role", &role)]),
            )?;
            let plan = ws.plan()?;
            expect_imports_only(&plan)?;
            ws.apply_plan()?;
            let state = ws.state()?;
            for (address, identity) in [
                ("hub_namespace.ns", serde_json::json!({"name": ns})),
                ("hub_app.api", serde_json::json!({"namespace": ns, "name": "api"})),
                ("hub_network_policy.api", serde_json::json!({"namespace": ns, "name": "api"})),
                ("hub_irsa_binding.api", serde_json::json!({"role_name": role})),
            ] {
                let got = state.resource(address)?.identity;
                expect(got == &identity, &format!("{address} has identity {identity}, got {got}"))?;
            }
            ws.plan()?.expect_empty()?;
            for address in ADDRESSES {
                ws.run(&["state", "rm", address])?.ok()?;
            }
            Ok(())
        })
    })
}
