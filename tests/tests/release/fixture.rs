//! The release every test of this binary installs, built once: the debug provider stripped and packaged by
//! `package.py` as linux_amd64 (plus a small stand-in archive for darwin_arm64, so the lock file has to
//! take every line of SHA256SUMS, not only the installed one), signed with a key generated now, and served
//! by one [`Registry`] under four namespaces: the good release and three broken copies.
//!
//! Files live under `CARGO_TARGET_TMPDIR/release`, replaced on each run, so nothing accumulates in /tmp.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use hub_acceptance::registry::{Keyring, Namespace, Registry, SigningKey, package, sha256_hex};
use hub_acceptance::support::err;
use hub_acceptance::tf::{self, ProviderBinary};

/// The good release.
pub const GOOD: &str = "hub";
/// The linux_amd64 zip was changed after the registry published its checksum.
pub const TAMPERED_ZIP: &str = "tampered-zip";
/// SHA256SUMS has a wrong line for linux_amd64 (and is signed again by the trusted key).
pub const WRONG_SUMS: &str = "wrong-sums";
/// SHA256SUMS is signed by a key other than the one the registry lists.
pub const OTHER_KEY: &str = "other-key";

/// The shared release and its registry.
pub struct Release {
    /// The version packaged (the provider crate's).
    pub version: String,
    /// The key the registry lists for every namespace.
    pub trusted: SigningKey,
    /// The directory of the good release.
    pub good: PathBuf,
    /// The registry serving all four namespaces.
    pub registry: Registry,
    /// SHA-256 of the good linux_amd64 zip (what the registry announces in every namespace).
    pub zip_sha256: String,
    /// SHA-256 of the tampered zip.
    pub tampered_sha256: String,
    /// The wrong hash in the wrong-sums SHA256SUMS.
    pub wrong_sha256: String,
    root: PathBuf,
}

impl Release {
    /// The release, built on first use in this process.
    pub fn get() -> tf::Result<&'static Release> {
        static RELEASE: OnceLock<Result<Release, String>> = OnceLock::new();
        RELEASE
            .get_or_init(|| build().map_err(|e| format!("{e:?}")))
            .as_ref()
            .map_err(|e| tf::Error::assertion(format!("building the test release: {e}")))
    }

    /// The SHA256SUMS file of the good release.
    pub fn sums(&self) -> PathBuf {
        self.good
            .join(format!("terraform-provider-hub_{}_SHA256SUMS", self.version))
    }

    /// A scratch directory under this run's root (created empty).
    pub fn scratch(&self, name: &str) -> tf::Result<PathBuf> {
        let dir = self.root.join("scratch").join(name);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(err)?;
        Ok(dir)
    }

    /// A registry of its own serving only the good release (for a test that stops it).
    pub fn private_registry(&self, dir: &Path) -> tf::Result<Registry> {
        Registry::start(vec![namespace(GOOD, &self.good, &self.trusted)], dir)
    }
}

fn namespace(name: &str, dir: &Path, key: &SigningKey) -> Namespace {
    Namespace {
        name: name.to_owned(),
        dir: dir.to_path_buf(),
        key: key.clone(),
    }
}

fn build() -> tf::Result<Release> {
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("release");
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("bin")).map_err(err)?;
    let provider = ProviderBinary::get()?;
    let binary = root.join("bin/terraform-provider-hub");
    package::stripped_copy(&provider.path, &binary)?;
    let stand_in = root.join("bin/darwin-arm64-stand-in");
    std::fs::write(
        &stand_in,
        "a stand-in for the darwin_arm64 build, never installed here\n",
    )
    .map_err(err)?;

    // The keyring is only needed to sign; dropping it at the end of this function stops its agent.
    let keyring = Keyring::new()?;
    let trusted = keyring.generate("hub release test <release-test@hub.invalid>")?;
    let other = keyring.generate("someone else <someone-else@hub.invalid>")?;
    let version = provider.version.clone();
    let good = root.join(GOOD);
    let binaries: [(&str, &Path); 2] = [("linux_amd64", &binary), ("darwin_arm64", &stand_in)];
    package::signed(&version, &good, &binaries, &keyring, &trusted.key_id)?;
    let sums_name = format!("terraform-provider-hub_{version}_SHA256SUMS");
    let zip_name = format!("terraform-provider-hub_{version}_linux_amd64.zip");

    let other_key = copy_release(&good, &root.join(OTHER_KEY), &[])?;
    keyring.sign(&other.key_id, &other_key.join(&sums_name))?;

    let wrong_sums = copy_release(&good, &root.join(WRONG_SUMS), &[])?;
    let sums = std::fs::read_to_string(wrong_sums.join(&sums_name)).map_err(err)?;
    let wrong = sha256_hex(b"not the archive");
    let edited: String = sums
        .lines()
        .map(|l| match l.split_once("  ") {
            Some((_, name)) if name == zip_name => format!("{wrong}  {name}\n"),
            _ => format!("{l}\n"),
        })
        .collect();
    if edited == sums {
        return Err(tf::Error::assertion(format!(
            "{sums_name} has no line for {zip_name}:\n{sums}"
        )));
    }
    std::fs::write(wrong_sums.join(&sums_name), edited).map_err(err)?;
    keyring.sign(&trusted.key_id, &wrong_sums.join(&sums_name))?;

    let tampered = copy_release(&good, &root.join(TAMPERED_ZIP), &[&zip_name])?;
    let registry = Registry::start(
        vec![
            namespace(GOOD, &good, &trusted),
            namespace(TAMPERED_ZIP, &tampered, &trusted),
            namespace(WRONG_SUMS, &wrong_sums, &trusted),
            namespace(OTHER_KEY, &other_key, &trusted),
        ],
        &root.join("ca"),
    )?;
    // After publication: the registry keeps announcing the original checksum, as it would if the
    // download server were compromised.
    let tampered_sha256 = flip_middle_byte(&tampered.join(&zip_name))?;
    Ok(Release {
        zip_sha256: sha256_hex(&std::fs::read(good.join(&zip_name)).map_err(err)?),
        tampered_sha256,
        wrong_sha256: wrong,
        version,
        trusted,
        good,
        registry,
        root,
    })
}

/// Copies a release directory: zips as hard links (they are large and never changed) except those in
/// `own`, which get a real copy; every other file is a real copy, so rewriting it leaves `from` intact.
fn copy_release(from: &Path, to: &Path, own: &[&str]) -> tf::Result<PathBuf> {
    std::fs::create_dir_all(to).map_err(err)?;
    for entry in std::fs::read_dir(from).map_err(err)? {
        let name = entry.map_err(err)?.file_name().to_string_lossy().into_owned();
        let (src, dst) = (from.join(&name), to.join(&name));
        if name.ends_with(".zip") && !own.contains(&name.as_str()) {
            std::fs::hard_link(&src, &dst).map_err(err)?;
        } else {
            std::fs::copy(&src, &dst).map_err(err)?;
        }
    }
    Ok(to.to_path_buf())
}

/// Inverts one byte in the middle of the file and returns its new SHA-256.
fn flip_middle_byte(path: &Path) -> tf::Result<String> {
    let mut bytes = std::fs::read(path).map_err(err)?;
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::write(path, &bytes).map_err(err)?;
    Ok(sha256_hex(&bytes))
}
