//! The Terraform-compatible CLIs the acceptance tests run: OpenTofu, Terraform 1.5.7 (the last MPL release,
//! for cross-checks) and Terraform 1.13.3 (the newest the Go module proxy serves: identity, write-only
//! attributes, ephemeral resources).
//!
//! All three come from `tests/tools/build.sh <tool>`, which builds into `~/.cache/hub/tools/` on first use
//! (minutes) and otherwise just prints the cached directory. Each lookup runs once per test process.

use std::fmt;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use super::error::{Error, Result};

/// Which program a [`Cli`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CliKind {
    /// OpenTofu (`tofu`); registry host `registry.opentofu.org`.
    OpenTofu,
    /// HashiCorp Terraform; registry host `registry.terraform.io`.
    Terraform,
}

/// A `major.minor.patch` version (pre-release suffixes are dropped).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version(pub u32, pub u32, pub u32);

impl Version {
    /// Parses `1.11.14`, `v1.5.7` or `1.12.0-dev`.
    pub fn parse(s: &str) -> Option<Self> {
        let core = s.trim().trim_start_matches('v').split(['-', '+']).next()?;
        let mut it = core.split('.').map(str::parse::<u32>);
        let v = Version(it.next()?.ok()?, it.next()?.ok()?, it.next()?.ok()?);
        it.next().is_none().then_some(v)
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.0, self.1, self.2)
    }
}

/// Terraform 1.5.7, the pinned cross-check version.
pub const TERRAFORM_PINNED: Version = Version(1, 5, 7);

/// One CLI binary and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cli {
    /// OpenTofu or Terraform.
    pub kind: CliKind,
    /// Its version, from `version`.
    pub version: Version,
    /// Absolute path of the executable.
    pub path: PathBuf,
}

impl fmt::Display for Cli {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self.kind {
            CliKind::OpenTofu => "tofu",
            CliKind::Terraform => "terraform",
        };
        write!(f, "{name} {}", self.version)
    }
}

impl Cli {
    /// OpenTofu, built or found by `build.sh tofu`.
    pub fn opentofu() -> Result<&'static Cli> {
        static CLI: OnceLock<Result<Cli, String>> = OnceLock::new();
        cached(&CLI, "tofu", || Self::from_build_sh("tofu", "tofu"))
    }

    /// Terraform 1.5.7, built or found by `build.sh terraform`.
    pub fn terraform_pinned() -> Result<&'static Cli> {
        static CLI: OnceLock<Result<Cli, String>> = OnceLock::new();
        cached(&CLI, "terraform", || Self::from_build_sh("terraform", "terraform"))
    }

    /// The newer Terraform: 1.13.3, built or found by `build.sh terraform-1.13`. It replaces any `terraform`
    /// on `PATH`, so every machine runs the same three CLIs.
    pub fn terraform_new() -> Result<&'static Cli> {
        static CLI: OnceLock<Result<Cli, String>> = OnceLock::new();
        cached(&CLI, "terraform-1.13", || {
            Self::from_build_sh("terraform-1.13", "terraform")
        })
    }

    /// Every CLI the tests run under: OpenTofu, Terraform 1.5.7 and Terraform 1.13.3. All are required;
    /// failing to build one is an error, not a skip.
    pub fn all() -> Result<Vec<&'static Cli>> {
        Ok(vec![
            Self::opentofu()?,
            Self::terraform_pinned()?,
            Self::terraform_new()?,
        ])
    }

    /// Whether this CLI calls provider-defined functions (`provider::hub::…`): OpenTofu 1.7, Terraform 1.8.
    pub fn supports_functions(&self) -> bool {
        self.version
            >= match self.kind {
                CliKind::OpenTofu => Version(1, 7, 0),
                CliKind::Terraform => Version(1, 8, 0),
            }
    }

    /// Whether this CLI has ephemeral resources (`ephemeral "hub_eks_token"`): OpenTofu 1.11, Terraform 1.10.
    pub fn supports_ephemeral(&self) -> bool {
        self.version
            >= match self.kind {
                CliKind::OpenTofu => Version(1, 11, 0),
                CliKind::Terraform => Version(1, 10, 0),
            }
    }

    /// Whether this CLI knows resource identity (`import { identity = ... }`, identity in state): Terraform
    /// 1.12; no OpenTofu release yet.
    pub fn supports_identity(&self) -> bool {
        match self.kind {
            CliKind::OpenTofu => false,
            CliKind::Terraform => self.version >= Version(1, 12, 0),
        }
    }

    /// Every CLI of [`Cli::all`] that has a feature (`Cli::supports_functions`, `Cli::supports_ephemeral`):
    /// OpenTofu and Terraform 1.13 (Terraform 1.5.7 predates both).
    pub fn all_with(feature: fn(&Cli) -> bool) -> Result<Vec<&'static Cli>> {
        Ok(Self::all()?.into_iter().filter(|c| feature(c)).collect())
    }

    /// The registry host this CLI assumes for a provider source without one.
    pub fn default_registry(&self) -> &'static str {
        match self.kind {
            CliKind::OpenTofu => "registry.opentofu.org",
            CliKind::Terraform => "registry.terraform.io",
        }
    }

    /// Runs `build.sh TOOL`, takes the directory it prints and identifies `DIR/BINARY`.
    fn from_build_sh(tool: &str, binary: &str) -> Result<Cli, String> {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tools/build.sh");
        // build.sh is not safe to run twice at once for the same tool; serialise our test processes.
        let _lock = lock_tools_cache().map_err(|e| e.to_string())?;
        let out = Command::new(&script)
            .arg(tool)
            .output()
            .map_err(|e| format!("cannot run {}: {e}", script.display()))?;
        let stdout = String::from_utf8_lossy(&out.stdout);
        if !out.status.success() {
            return Err(format!(
                "{} {tool} exited with {}:\n{}",
                script.display(),
                out.status,
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        let dir = stdout.lines().last().unwrap_or_default().trim();
        Self::identify(&Path::new(dir).join(binary)).map_err(|e| e.to_string())
    }

    /// Asks `path version` what it is.
    pub fn identify(path: &Path) -> Result<Cli> {
        let out = Command::new(path)
            .arg("version")
            .env("CHECKPOINT_DISABLE", "1")
            .env("TF_CLI_CONFIG_FILE", "/dev/null")
            .output()
            .map_err(|source| Error::Spawn {
                program: path.display().to_string(),
                source,
            })?;
        let text = String::from_utf8_lossy(&out.stdout);
        let first = text.lines().next().unwrap_or_default();
        let (kind, rest) = if let Some(v) = first.strip_prefix("OpenTofu ") {
            (CliKind::OpenTofu, v)
        } else if let Some(v) = first.strip_prefix("Terraform ") {
            (CliKind::Terraform, v)
        } else {
            return Err(Error::Tool {
                tool: path.display().to_string(),
                reason: format!("unrecognised `version` output {first:?}"),
            });
        };
        let version = Version::parse(rest).ok_or_else(|| Error::Tool {
            tool: path.display().to_string(),
            reason: format!("unparseable version {rest:?}"),
        })?;
        Ok(Cli {
            kind,
            version,
            path: path.to_path_buf(),
        })
    }
}

fn cached(
    cell: &'static OnceLock<Result<Cli, String>>,
    tool: &str,
    init: impl FnOnce() -> Result<Cli, String>,
) -> Result<&'static Cli> {
    cell.get_or_init(init).as_ref().map_err(|reason| Error::Tool {
        tool: tool.to_string(),
        reason: reason.clone(),
    })
}

/// An exclusive lock on `<tools cache>/.hub-acceptance.lock`, released when the file is dropped.
fn lock_tools_cache() -> Result<File> {
    let dir = std::env::var_os("HUB_TOOLS_CACHE")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache/hub/tools"));
    let io = |source| Error::Io {
        path: dir.clone(),
        source,
    };
    std::fs::create_dir_all(&dir).map_err(io)?;
    let file = File::create(dir.join(".hub-acceptance.lock")).map_err(io)?;
    file.lock().map_err(io)?;
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_versions() {
        assert_eq!(Version::parse("v1.11.14"), Some(Version(1, 11, 14)));
        assert_eq!(Version::parse("1.12.0-dev"), Some(Version(1, 12, 0)));
        assert_eq!(Version::parse("1.5"), None);
        assert!(Version(1, 11, 4) > TERRAFORM_PINNED);
        assert!(Version(1, 5, 10) > TERRAFORM_PINNED);
    }
}
