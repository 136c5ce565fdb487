//! Other providers that tests use as consumers of hub's values (today hashicorp/kubernetes, configured from
//! `ephemeral.hub_eks_token`). `tests/tools/build.sh <tool>` builds each once into the tools cache;
//! [`Peer::install`] links it into a workspace's filesystem mirror, which the workspace's CLI configuration
//! already searches for every provider but `hub/hub`, so `init` installs it without the network.

use std::path::PathBuf;
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
            let dir = crate::sandbox::tools::ensure_tool("kubernetes-provider").map_err(|e| e.to_string())?;
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
