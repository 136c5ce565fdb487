//! An acceptance-test harness that drives the real OpenTofu and Terraform CLIs against the built provider,
//! in the spirit of terraform-plugin-testing.
//!
//! - [`Cli`]: the CLIs to test under (OpenTofu, Terraform 1.5.7 and Terraform 1.13.3).
//! - [`Workspace`]: a temporary module directory with a CLI configuration pointing `hub/hub` at the binary
//!   (`dev_overrides`, a filesystem mirror, or one the test writes for the local registry of
//!   [`crate::registry`]; never a public registry), and one method per command: `validate`,
//!   `plan`, `apply`, `show -json`, `import`, `destroy`, `providers schema -json`, or any command via `run`.
//! - Results: [`Output`] (exit code, stdout, stderr, parsed [`Diagnostics`]), [`Plan`], [`State`],
//!   [`ProviderSchemas`], each with `expect_*` assertions returning [`Result`].
//! - [`TestCase`] / [`Step`]: apply → check → re-plan is empty → import-verify, then destroy.
//!
//! ```no_run
//! use hub_acceptance::tf::{self, DiagMatch, Workspace};
//!
//! fn bad_name_is_rejected() -> tf::Result<()> {
//!     tf::for_each_cli(|cli| {
//!         let ws = Workspace::new(cli)?;
//!         ws.config(r#"resource "hub_namespace" "x" { name = "Bad_Name" }"#)?;
//!         let out = ws.validate()?;
//!         out.expect_no_crash()?;
//!         out.diagnostics().expect(&DiagMatch::error().attribute("name").at("main.tf", 1))?;
//!         Ok(())
//!     })
//! }
//! ```

mod cli;
mod command;
mod diag;
mod error;
mod json;
mod peer;
mod plan;
mod provider;
mod schema;
pub mod secrets_sweep;
mod state;
mod steps;
mod workspace;

pub use cli::{Cli, CliKind, TERRAFORM_PINNED, Version};
pub use command::{CRASH_MARKERS, Output, Running};
pub use diag::{DiagMatch, Diagnostic, Diagnostics, Pos, Range, Severity, Snippet};
pub use error::{Error, Result};
pub use json::{at as json_at, marked as json_marked};
pub use peer::Peer;
pub use plan::{Action, Plan, ResourceChange};
pub use provider::{Install, ProviderBinary, SOURCE};
pub use schema::{ProviderSchema, ProviderSchemas};
pub use state::{State, StateResource};
pub use steps::{ImportId, Step, TestCase, Unverifiable};
pub use workspace::{DEFAULT_TIMEOUT, PLAN_FILE, Workspace};

/// Runs `test` under every CLI of [`Cli::all`] (the cross-check subset), one after another, and reports
/// the failures of all of them together rather than stopping at the first.
pub fn for_each_cli(test: impl Fn(&Cli) -> Result<()>) -> Result<()> {
    for_each(Cli::all()?, test)
}

/// [`for_each_cli`] over the CLIs that have a feature ([`Cli::all_with`]), e.g. `Cli::supports_functions`.
pub fn for_each_cli_with(feature: fn(&Cli) -> bool, test: impl Fn(&Cli) -> Result<()>) -> Result<()> {
    for_each(Cli::all_with(feature)?, test)
}

/// [`for_each_cli`] over an explicit list of CLIs.
pub fn for_each_listed(clis: Vec<&'static Cli>, test: impl Fn(&Cli) -> Result<()>) -> Result<()> {
    for_each(clis, test)
}

fn for_each(clis: Vec<&'static Cli>, test: impl Fn(&Cli) -> Result<()>) -> Result<()> {
    let mut failures = Vec::new();
    for cli in clis {
        if let Err(e) = test(cli) {
            failures.push((cli.to_string(), e));
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(Error::PerCli(failures))
    }
}

/// OpenTofu, which every acceptance test runs under.
pub fn opentofu() -> Result<&'static Cli> {
    Cli::opentofu()
}
