//! A `dist/` directory as `package.py` writes it, read the way a registry publishes it: which zips exist
//! (version and platform from the file name), and the SHA-256 of each, recorded once at publication.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::tf::{Error, Result};

const PREFIX: &str = "terraform-provider-hub_";

/// The zips of one release directory, keyed by file name.
#[derive(Debug, Clone)]
pub struct Dist {
    /// The directory served.
    pub dir: PathBuf,
    /// Every `terraform-provider-hub_VERSION_OS_ARCH.zip`, with its parsed name and SHA-256 at publication.
    pub zips: BTreeMap<String, Zip>,
}

/// One published archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Zip {
    /// The release version.
    pub version: String,
    /// `linux`, `darwin`, …
    pub os: String,
    /// `amd64`, `arm64`, …
    pub arch: String,
    /// Lower-case hex SHA-256 of the file when the registry read it.
    pub sha256: String,
}

impl Dist {
    /// Reads `dir` and hashes every zip in it.
    pub fn publish(dir: &Path) -> Result<Self> {
        let io = |source| Error::Io {
            path: dir.to_path_buf(),
            source,
        };
        let mut zips = BTreeMap::new();
        for entry in std::fs::read_dir(dir).map_err(io)? {
            let name = entry.map_err(io)?.file_name().to_string_lossy().into_owned();
            if let Some((version, os, arch)) = parse_zip_name(&name) {
                let sha256 = sha256_hex(&std::fs::read(dir.join(&name)).map_err(io)?);
                zips.insert(
                    name,
                    Zip {
                        version,
                        os,
                        arch,
                        sha256,
                    },
                );
            }
        }
        Ok(Dist {
            dir: dir.to_path_buf(),
            zips,
        })
    }

    /// The versions published, sorted and without repeats.
    pub fn versions(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.zips.values().map(|z| z.version.as_str()).collect();
        v.dedup();
        v
    }

    /// The zips of one version, by file name.
    pub fn of_version<'a>(&'a self, version: &'a str) -> impl Iterator<Item = (&'a String, &'a Zip)> {
        self.zips.iter().filter(move |(_, z)| z.version == version)
    }

    /// The zip for one version and platform.
    pub fn find(&self, version: &str, os: &str, arch: &str) -> Option<(&String, &Zip)> {
        self.zips
            .iter()
            .find(|(_, z)| z.version == version && z.os == os && z.arch == arch)
    }
}

/// The checksum file of a version: `terraform-provider-hub_VERSION_SHA256SUMS`.
pub fn sums_name(version: &str) -> String {
    format!("{PREFIX}{version}_SHA256SUMS")
}

/// `terraform-provider-hub_0.1.0_linux_amd64.zip` → (`0.1.0`, `linux`, `amd64`).
fn parse_zip_name(name: &str) -> Option<(String, String, String)> {
    let rest = name.strip_prefix(PREFIX)?.strip_suffix(".zip")?;
    let mut parts = rest.rsplitn(3, '_');
    let arch = parts.next()?;
    let os = parts.next()?;
    let version = parts.next()?;
    Some((version.to_owned(), os.to_owned(), arch.to_owned()))
}

/// Lower-case hex SHA-256, as SHA256SUMS lines and `zh:` hashes spell it.
pub fn sha256_hex(data: &[u8]) -> String {
    aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, data)
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_zip_names() {
        assert_eq!(
            parse_zip_name("terraform-provider-hub_0.1.0-rc.1_linux_amd64.zip"),
            Some(("0.1.0-rc.1".into(), "linux".into(), "amd64".into()))
        );
        assert_eq!(parse_zip_name("terraform-provider-hub_0.1.0_SHA256SUMS"), None);
        assert_eq!(parse_zip_name("terraform-provider-hub_0.1.0_manifest.json"), None);
    }

    #[test]
    fn hashes_like_sha256sum() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
