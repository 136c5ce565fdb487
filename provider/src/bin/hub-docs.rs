//! `hub-docs`: writes or checks the registry documentation (`docs/`) rendered from the provider's schemas and
//! the examples under `examples/`.
//!
//!     hub-docs generate [ROOT]   write ROOT/docs (ROOT defaults to the current directory)
//!     hub-docs check [ROOT]      exit 1, naming each file, when ROOT/docs differs from what generate writes

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use hub_provider::docs::{Examples, ProviderDocs, sync};

const USAGE: &str = "usage: hub-docs generate|check [ROOT]\n  \
    generate  write ROOT/docs from the provider schemas and ROOT/examples\n  \
    check     fail when ROOT/docs is not what generate would write";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (command, root) = match args.as_slice() {
        [command] => (command.as_str(), PathBuf::from(".")),
        [command, root] => (command.as_str(), PathBuf::from(root)),
        _ => return usage(),
    };
    let result = match command {
        "generate" => generate(&root),
        "check" => check(&root),
        _ => return usage(),
    };
    result.unwrap_or_else(|e| {
        eprintln!("hub-docs: {e}");
        ExitCode::from(2)
    })
}

fn usage() -> ExitCode {
    eprintln!("{USAGE}");
    ExitCode::from(2)
}

fn pages(root: &Path) -> std::io::Result<Vec<hub_provider::docs::Page>> {
    let docs = ProviderDocs::from_registry(&hub_provider::resources::registry());
    let examples = Examples::load(&root.join("examples"), &docs.example_paths())?;
    Ok(docs.pages(&examples))
}

fn generate(root: &Path) -> std::io::Result<ExitCode> {
    let dir = root.join("docs");
    let changes = sync::write(&dir, &pages(root)?)?;
    for change in &changes {
        println!("updated docs/{change}");
    }
    if changes.is_empty() {
        println!("docs/ is up to date");
    }
    Ok(ExitCode::SUCCESS)
}

fn check(root: &Path) -> std::io::Result<ExitCode> {
    let stale = sync::stale(&root.join("docs"), &pages(root)?)?;
    if stale.is_empty() {
        println!("docs/ is up to date");
        return Ok(ExitCode::SUCCESS);
    }
    eprintln!("docs/ is stale: run make docs");
    for s in &stale {
        eprintln!("  docs/{s}");
    }
    Ok(ExitCode::FAILURE)
}
