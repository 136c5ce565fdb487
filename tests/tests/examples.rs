//! The examples under `examples/` stay valid: each is validated under every CLI and planned against the
//! local control plane (a plan renders every object, so this checks them deeply, without applying).

use hub_acceptance::sandbox::Sandbox;
use hub_acceptance::tf::{self, Action, Workspace};

const SEED_APPS: &[(&str, &str)] = &[
    ("versions.tf", include_str!("../../examples/seed-apps/versions.tf")),
    (
        "seed_001_prod.tf",
        include_str!("../../examples/seed-apps/seed_001_prod.tf"),
    ),
    (
        "seed_002_petstore.tf",
        include_str!("../../examples/seed-apps/seed_002_petstore.tf"),
    ),
    (
        "seed_003_ils.tf",
        include_str!("../../examples/seed-apps/seed_003_ils.tf"),
    ),
    (
        "seed_004_flask.tf",
        include_str!("../../examples/seed-apps/seed_004_flask.tf"),
    ),
];

#[test]
fn seed_apps_validate_and_plan() -> tf::Result<()> {
    let kubeconfig = Sandbox::shared()
        .map_err(|e| tf::Error::assertion(e.to_string()))?
        .kubeconfig_path();
    tf::for_each_cli(|cli| {
        let ws = Workspace::new(cli)?;
        for (name, text) in SEED_APPS {
            ws.write(name, text)?;
        }
        ws.write(
            "terraform.tfvars",
            &format!("kubeconfig = {:?}\n", kubeconfig.display().to_string()),
        )?;
        let out = ws.validate()?;
        out.expect_no_crash()?;
        out.diagnostics().expect_no_errors()?;
        let plan = ws.plan()?;
        for app in ["api", "admin", "worker", "monitoring", "petstore", "ils", "flask"] {
            plan.resource_change(&format!("hub_app.{app}"))?
                .expect_actions(&[Action::Create])?;
        }
        plan.resource_change("hub_network_policy.ils")?
            .expect_actions(&[Action::Create])?;
        Ok(())
    })
}
