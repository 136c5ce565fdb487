//! Runs the release packaging script (`scripts/release/package.py`) the way `make release` does, so the
//! tests install exactly what a release would publish.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::gpg::Keyring;
use crate::tf::{Error, Output, Result};

/// `scripts/release/package.py` in this repository.
pub fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/release/package.py")
}

/// Runs `package.py ARGS…` with `python3`, whatever its exit code.
pub fn run(args: &[&str]) -> Result<Output> {
    let out = Command::new("python3")
        .arg(script())
        .args(args)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .map_err(|source| Error::Spawn {
            program: "python3".into(),
            source,
        })?;
    Ok(Output {
        command: format!("package.py {}", args.join(" ")),
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    })
}

/// Packages `binaries` (`(OS_ARCH, path)`) as `version` into `out`, signing SHA256SUMS with `key_id`.
pub fn signed(version: &str, out: &Path, binaries: &[(&str, &Path)], keyring: &Keyring, key_id: &str) -> Result<()> {
    let out = out.to_string_lossy();
    let home = keyring.home().to_string_lossy();
    let specs: Vec<String> = binaries
        .iter()
        .map(|(platform, path)| format!("{platform}={}", path.display()))
        .collect();
    let mut args = vec![
        "--version",
        version,
        "--out",
        &out,
        "--gnupghome",
        &home,
        "--sign-key",
        key_id,
    ];
    for spec in &specs {
        args.extend(["--binary", spec.as_str()]);
    }
    run(&args)?.ok().map(drop)
}

/// A copy of `binary` without symbols at `to`: a debug build is ~100 MB, which would make every zip and
/// every `init` slow without changing what is being tested.
pub fn stripped_copy(binary: &Path, to: &Path) -> Result<()> {
    let out = Command::new("strip")
        .arg("-o")
        .arg(to)
        .arg(binary)
        .output()
        .map_err(|source| Error::Spawn {
            program: "strip".into(),
            source,
        })?;
    if out.status.success() {
        Ok(())
    } else {
        Err(Error::Tool {
            tool: "strip".into(),
            reason: String::from_utf8_lossy(&out.stderr).into_owned(),
        })
    }
}
