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

/// `required_providers` for registry examples that, like the registry's, leave it out.
const VERSIONS: &str = "terraform {\n  required_providers {\n    hub = { source = \"hub/hub\" }\n  }\n}\n";

/// An example directory's `.tf` files: (file name, contents).
type Files = Vec<(String, String)>;

/// Every directory of the registry layout (`examples/provider`, `examples/resources/<type>`,
/// `examples/data-sources/<type>`) with its `.tf` files, read at run time so a new example is covered.
fn registry_examples() -> tf::Result<Vec<(String, Files)>> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let io = |e: std::io::Error| tf::Error::assertion(format!("reading {}: {e}", root.display()));
    let mut dirs = vec![root.join("provider")];
    for group in ["resources", "data-sources"] {
        for entry in std::fs::read_dir(root.join(group)).map_err(io)? {
            dirs.push(entry.map_err(io)?.path());
        }
    }
    dirs.sort();
    let mut examples = Vec::new();
    for dir in dirs {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(&dir).map_err(io)? {
            let path = entry.map_err(io)?.path();
            if path.extension().is_some_and(|e| e == "tf") {
                let name = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
                files.push((name, std::fs::read_to_string(&path).map_err(io)?));
            }
        }
        let label = dir.strip_prefix(&root).unwrap_or(&dir).display().to_string();
        examples.push((label, files));
    }
    Ok(examples)
}

/// Validates one example directory as a reader would paste it into an empty configuration.
fn validate_example(cli: &tf::Cli, files: &[(String, String)]) -> tf::Result<tf::Diagnostics> {
    let ws = Workspace::new(cli)?;
    if !files.iter().any(|(_, text)| text.contains("required_providers")) {
        ws.write("versions.tf", VERSIONS)?;
    }
    for (name, text) in files {
        ws.write(name, text)?;
    }
    let out = ws.validate()?;
    out.expect_no_crash()?;
    Ok(out.diagnostics())
}

#[test]
fn registry_examples_validate() -> tf::Result<()> {
    let cli = tf::opentofu()?;
    let examples = registry_examples()?;
    let labels: Vec<&str> = examples.iter().map(|(label, _)| label.as_str()).collect();
    for expected in [
        "provider",
        "resources/hub_app",
        "resources/hub_irsa_binding",
        "resources/hub_namespace",
        "resources/hub_network_policy",
        "data-sources/hub_cluster",
    ] {
        if !labels.contains(&expected) {
            return Err(tf::Error::assertion(format!(
                "examples/{expected} is missing (found {labels:?})"
            )));
        }
    }
    for (label, files) in &examples {
        if files.is_empty() {
            return Err(tf::Error::assertion(format!("examples/{label} has no .tf file")));
        }
        validate_example(cli, files)?
            .expect_no_errors()
            .map_err(|e| tf::Error::assertion(format!("examples/{label}: {e}")))?;
    }
    // The check can fail: the hub_app example with an invalid namespace is rejected at that attribute.
    let (_, app) = examples
        .iter()
        .find(|(label, _)| label == "resources/hub_app")
        .ok_or_else(|| tf::Error::assertion("no hub_app example"))?;
    let broken: Files = app
        .iter()
        .map(|(n, t)| {
            (
                n.clone(),
                t.replacen("namespace = \"my-app-prod\"", "namespace = \"My_App\"", 1),
            )
        })
        .collect();
    if broken == *app {
        return Err(tf::Error::assertion(
            "the hub_app example no longer sets namespace = \"my-app-prod\"",
        ));
    }
    validate_example(cli, &broken)?.expect(
        &tf::DiagMatch::error()
            .summary("Invalid Kubernetes Name")
            .attribute("namespace"),
    )?;
    Ok(())
}

const REAL_APP: &[(&str, &str)] = &[
    ("versions.tf", include_str!("../../examples/real-app/versions.tf")),
    ("main.tf", include_str!("../../examples/real-app/main.tf")),
];

/// `examples/real-app` (issue 20's application that uses all of `hub_app`) applies against the local control
/// plane under every CLI, after its namespace exists and the Secret an ExternalSecret would make is there;
/// the next plan is empty; destroy leaves nothing.
#[test]
fn real_app_applies() -> tf::Result<()> {
    let kubeconfig = Sandbox::shared()
        .map_err(|e| tf::Error::assertion(e.to_string()))?
        .kubeconfig_path();
    tf::for_each_cli(|cli| {
        let ns = hub_acceptance::sandbox::Scope::new("real-app").name("orders");
        let ws = Workspace::new(cli)?;
        for (name, text) in REAL_APP {
            ws.write(name, text)?;
        }
        ws.write(
            "terraform.tfvars",
            &format!(
                "kubeconfig = {:?}\nnamespace = {ns:?}\n",
                kubeconfig.display().to_string()
            ),
        )?;
        let first = ws.run(&["apply", "-auto-approve", "-input=false", "-target=hub_namespace.orders"])?;
        first.expect_no_crash()?;
        first.ok()?;
        let secret_ns = ns.clone();
        hub_acceptance::support::with_kube(|c| async move {
            let secret: k8s_openapi::api::core::v1::Secret = serde_json::from_value(serde_json::json!({
                "metadata": {"name": "orders-db"}, "data": {"password": "b3JkZXJz"}
            }))
            .map_err(kube::Error::SerdeError)?;
            kube::Api::<k8s_openapi::api::core::v1::Secret>::namespaced(c, &secret_ns)
                .create(&kube::api::PostParams::default(), &secret)
                .await
                .map(drop)
        })?;
        let plan = ws.plan()?;
        plan.resource_change("hub_app.orders")?
            .expect_actions(&[Action::Create])?;
        let applied = ws.apply()?;
        applied.expect_no_crash()?;
        applied.ok()?;
        ws.plan()?.expect_empty()?;
        ws.destroy()?.ok().map(drop)
    })
}
