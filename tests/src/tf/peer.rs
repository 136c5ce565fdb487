//! Other providers that tests use as consumers of hub's values (today hashicorp/kubernetes, configured from
//! `ephemeral.hub_eks_token`). `tests/tools/build.sh <tool>` builds each once into the tools cache;
//! [`Peer::install`] links it into a workspace's filesystem mirror, which the workspace's CLI configuration
//! already searches for every provider but `hub/hub`, so `init` installs it without the network.

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

use super::error::{Error, Result};
use super::workspace::{Workspace, platform};

/// A provider binary from the tools cache.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Peer {
    /// `hashicorp/kubernetes`.
    pub source: &'static str,
    /// The version `build.sh` builds, to pin in `required_providers`.
    pub version: &'static str,
    /// The executable.
    pub path: PathBuf,
}

impl Peer {
    /// hashicorp/kubernetes v3.2.1 (`build.sh kubernetes-provider`), built on first use.
    pub fn kubernetes() -> Result<&'static Peer> {
        static PEER: OnceLock<std::result::Result<Peer, String>> = OnceLock::new();
        PEER.get_or_init(|| {
            let dir = build("kubernetes-provider")?;
            Ok(Peer {
                source: "hashicorp/kubernetes",
                version: "3.2.1",
                path: dir.join("terraform-provider-kubernetes"),
            })
        })
        .as_ref()
        .map_err(|e| Error::assertion(e.clone()))
    }

    /// The `required_providers` entry (`kubernetes = { source = …, version = … }`).
    pub fn requirement(&self) -> String {
        let name = self.source.rsplit('/').next().unwrap_or(self.source);
        format!(
            "{name} = {{ source = {:?}, version = {:?} }}",
            self.source, self.version
        )
    }

    /// Links the binary into `ws`'s filesystem mirror under both registries; run `init` afterwards.
    pub fn install(&self, ws: &Workspace) -> Result<()> {
        let name = self.source.rsplit('/').next().unwrap_or(self.source);
        for host in ["registry.terraform.io", "registry.opentofu.org"] {
            let dir = ws
                .mirror_dir()
                .join(host)
                .join(self.source)
                .join(self.version)
                .join(platform());
            std::fs::create_dir_all(&dir).map_err(|source| Error::Io {
                path: dir.clone(),
                source,
            })?;
            let link = dir.join(format!("terraform-provider-{name}_v{}", self.version));
            std::os::unix::fs::symlink(&self.path, &link).map_err(|source| Error::Io { path: link, source })?;
        }
        Ok(())
    }
}

/// Runs `build.sh TOOL` and returns the directory it prints last.
fn build(tool: &str) -> std::result::Result<PathBuf, String> {
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tools/build.sh");
    let out = Command::new(&script)
        .arg(tool)
        .output()
        .map_err(|e| format!("cannot run {}: {e}", script.display()))?;
    if !out.status.success() {
        return Err(format!(
            "{} {tool} exited with {}:\n{}",
            script.display(),
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    Ok(PathBuf::from(stdout.lines().last().unwrap_or_default().trim()))
}
