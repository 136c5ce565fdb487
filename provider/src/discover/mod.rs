//! `terraform-provider-hub discover --namespace NS`: reads what another tool (Helm, kubectl, the kubernetes
//! provider) made in a namespace, groups it into apps and writes the `import` blocks that bring it under
//! hub, saying what hub leaves out and why. It works with every CLI version (import blocks need
//! Terraform 1.5 or OpenTofu 1.6); `--generate` adds each app's `hub_app` block from the same reverse render
//! the import runs, and `plan -generate-config-out` writes the others.
//!
//! Bad arguments exit 2, a failure to read the cluster exits 1; messages go to stderr, the blocks to the
//! `--out` file or stdout. Secrets are listed as metadata only.

pub mod args;
pub mod fetch;
pub mod group;
pub mod hcl;
pub mod hcl_value;
pub mod inventory;
pub mod names;
pub mod refs;

use std::process::ExitCode;

use args::{Request, USAGE};

pub use args::SUBCOMMAND;

/// The subcommand, given the arguments after its name.
pub fn main(args: impl IntoIterator<Item = String>) -> ExitCode {
    crate::subcommand::run(
        "discover",
        USAGE,
        args.into_iter().collect(),
        Request::parse,
        |request| async move { run(&request).await },
    )
}

/// Reads, groups, writes; warnings go to stderr as they are found.
async fn run(req: &Request) -> Result<(), String> {
    let (client, server) = fetch::connect(req).await?;
    let (inventory, mut warnings) = fetch::inventory(&client, &server, &req.namespace).await?;
    let groups = group::group(&inventory);
    let fits: Vec<_> = groups
        .apps
        .iter()
        .map(|app| {
            let members: Vec<(String, serde_json::Value)> = app
                .members
                .iter()
                .map(|m| (m.kind.to_owned(), m.object.clone()))
                .collect();
            crate::resources::app_discovery::fit(&app.name, &req.namespace, &app.deployment, &members)
        })
        .collect();
    let mut blocks = Vec::new();
    for app in groups.apps.iter().filter(|_| req.generate) {
        blocks.push(crate::resources::app_discovery_config::configuration(&client, &req.namespace, &app.name).await?);
    }
    let out = hcl::render(
        &req.namespace,
        inventory.namespace_object.is_some(),
        &groups,
        &fits,
        req.generate,
        &blocks,
    );
    warnings.extend(out.warnings);
    for w in &warnings {
        eprintln!("terraform-provider-hub discover: {w}");
    }
    match &req.out {
        Some(path) => std::fs::write(path, &out.text).map_err(|e| format!("writing {}: {e}", path.display()))?,
        None => print!("{}", out.text),
    }
    let (apps, policies) = (groups.apps.len(), groups.network_policies.len());
    eprintln!(
        "terraform-provider-hub discover: {apps} app(s), {policies} network polic(ies) in namespace {}{}",
        req.namespace,
        req.out
            .as_ref()
            .map(|p| format!(", written to {}", p.display()))
            .unwrap_or_default()
    );
    Ok(())
}
#[cfg(test)]
mod group_tests;
