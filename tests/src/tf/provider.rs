//! The provider binary under test and the two ways a CLI is pointed at it.
//!
//! The binary is built once per test process with `cargo build -p terraform-provider-hub` (a no-op when
//! cargo already built it), in the same target directory as the tests (`CARGO_TARGET_DIR` is inherited; a
//! `--target-dir` flag given to `cargo test` is not). Set `HUB_PROVIDER_BIN` to test another binary, such as
//! a release build, without building.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use serde_json::Value;

use super::error::{Error, Result};

/// The provider's source address in configurations: `required_providers { hub = { source = "hub/hub" } }`.
pub const SOURCE: &str = "hub/hub";

/// The built provider executable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderBinary {
    /// Absolute path of `terraform-provider-hub`.
    pub path: PathBuf,
    /// The crate version (used as the version in a filesystem mirror).
    pub version: String,
}

impl ProviderBinary {
    /// The binary, building it on first use in this process.
    pub fn get() -> Result<&'static ProviderBinary> {
        static BIN: OnceLock<Result<ProviderBinary, String>> = OnceLock::new();
        BIN.get_or_init(|| locate().map_err(|e| e.to_string()))
            .as_ref()
            .map_err(|e| Error::ProviderBuild(e.clone()))
    }

    /// The directory holding the executable (what `dev_overrides` names).
    pub fn dir(&self) -> &Path {
        self.path.parent().expect("an executable path has a parent")
    }
}

/// How a workspace's CLI finds the provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Install {
    /// `provider_installation { dev_overrides { "hub/hub" = DIR } }`: no `init` needed (init would try to
    /// install `hub/hub` from the other sources and fail), core warns "Provider development overrides are in
    /// effect" on every command.
    DevOverrides,
    /// An unpacked filesystem mirror holding a link to the binary, under both registry hosts: the way a
    /// user installs a downloaded release. `init` is required and writes a lock file.
    FilesystemMirror,
    /// Nothing from the harness: the test writes the CLI configuration ([`super::Workspace::set_cli_config`]),
    /// e.g. a local registry or network mirror, to install hub the way a user of a release does.
    Configured,
}

fn locate() -> Result<ProviderBinary> {
    if let Some(path) = std::env::var_os("HUB_PROVIDER_BIN") {
        let path = std::fs::canonicalize(&path).map_err(|source| Error::Io {
            path: path.into(),
            source,
        })?;
        return Ok(ProviderBinary {
            path,
            version: env!("CARGO_PKG_VERSION").to_string(),
        });
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let out = Command::new(&cargo)
        .current_dir(&root)
        .args([
            "build",
            "-p",
            "terraform-provider-hub",
            "--bin",
            "terraform-provider-hub",
        ])
        .arg("--message-format=json-render-diagnostics")
        .output()
        .map_err(|source| Error::Spawn {
            program: "cargo".into(),
            source,
        })?;
    if !out.status.success() {
        return Err(Error::ProviderBuild(format!(
            "cargo build -p terraform-provider-hub exited with {}:\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        )));
    }
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .find(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == "terraform-provider-hub")
        .and_then(|m| {
            let path = PathBuf::from(m["executable"].as_str()?);
            // package_id: "path+file:///…/provider#terraform-provider-hub@0.1.0" (or "…#0.1.0")
            let fragment = m["package_id"].as_str()?.rsplit('#').next()?;
            let version = fragment.rsplit('@').next()?.to_string();
            Some(ProviderBinary { path, version })
        })
        .ok_or_else(|| Error::ProviderBuild("cargo reported no terraform-provider-hub executable".into()))
}
