//! A throw-away GnuPG home for signing test releases: keys are generated at test time (no passphrase),
//! so no real release key ever sits in the repository. RSA keys, which every CLI's OpenPGP library reads.

use std::path::Path;
use std::process::Command;

use tempfile::TempDir;

use crate::tf::{Error, Result};

/// A public key as the registry protocol's `signing_keys.gpg_public_keys` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningKey {
    /// The long key ID, 16 upper-case hex digits (what the CLIs print after installing).
    pub key_id: String,
    /// `gpg --armor --export` of the key.
    pub ascii_armor: String,
}

/// A temporary `GNUPGHOME`. Dropping it stops its gpg-agent and deletes it.
pub struct Keyring {
    home: TempDir,
}

impl Keyring {
    /// An empty keyring in a short temporary path (gpg-agent's socket path must stay under 108 bytes).
    pub fn new() -> Result<Self> {
        let home = tempfile::Builder::new()
            .prefix("hub-gpg-")
            .tempdir_in("/tmp")
            .map_err(|source| Error::Io {
                path: "/tmp".into(),
                source,
            })?;
        Ok(Keyring { home })
    }

    /// The directory to pass as `--gnupghome` / `--homedir`.
    pub fn home(&self) -> &Path {
        self.home.path()
    }

    /// Generates a signing-only RSA key for `uid` and returns its ID and armored public key.
    pub fn generate(&self, uid: &str) -> Result<SigningKey> {
        self.gpg(&["--passphrase", "", "--quick-gen-key", uid, "rsa2048", "sign", "never"])?;
        let listing = self.gpg(&["--with-colons", "--list-keys", uid])?;
        let key_id = listing
            .lines()
            .find_map(|l| l.strip_prefix("pub:").and_then(|rest| rest.split(':').nth(3)))
            .ok_or_else(|| Error::assertion(format!("gpg listed no public key for {uid}:\n{listing}")))?
            .to_owned();
        let ascii_armor = self.gpg(&["--armor", "--export", &key_id])?;
        Ok(SigningKey { key_id, ascii_armor })
    }

    /// Writes a binary detached signature of `file` by `key_id` to `file.sig`.
    pub fn sign(&self, key_id: &str, file: &Path) -> Result<()> {
        let sig = format!("{}.sig", file.display());
        let file = file.to_string_lossy();
        self.gpg(&[
            "--yes",
            "--local-user",
            key_id,
            "--output",
            &sig,
            "--detach-sign",
            &file,
        ])
        .map(drop)
    }

    /// Runs `gpg --batch --homedir HOME ARGS…`, returning stdout; a failure carries gpg's stderr.
    fn gpg(&self, args: &[&str]) -> Result<String> {
        let out = Command::new("gpg")
            .arg("--batch")
            .arg("--homedir")
            .arg(self.home())
            .args(args)
            .output()
            .map_err(|source| Error::Spawn {
                program: "gpg".into(),
                source,
            })?;
        if !out.status.success() {
            return Err(Error::Tool {
                tool: "gpg".into(),
                reason: format!(
                    "gpg {} exited with {}: {}",
                    args.join(" "),
                    out.status,
                    String::from_utf8_lossy(&out.stderr)
                ),
            });
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }
}

impl Drop for Keyring {
    fn drop(&mut self) {
        // gpg starts an agent per home; without this each test run would leave one behind.
        let _ = Command::new("gpgconf")
            .arg("--homedir")
            .arg(self.home())
            .args(["--kill", "gpg-agent"])
            .output();
    }
}
