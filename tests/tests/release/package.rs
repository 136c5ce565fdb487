//! `package.py` itself: identical input gives byte-identical archives with the layout registries expect,
//! and bad input is refused with a clear message before anything is written.

use std::path::Path;
use std::time::{Duration, SystemTime};

use hub_acceptance::registry::package;
use hub_acceptance::support::{err, expect};
use hub_acceptance::tf;

/// Reads a little-endian u16/u32 at `at`.
fn le(bytes: &[u8], at: usize, len: usize) -> u32 {
    bytes[at..at + len]
        .iter()
        .rev()
        .fold(0, |acc, b| (acc << 8) | u32::from(*b))
}

/// The single member of a zip: (name, DOS date, extra-field length, Unix mode), read from the local
/// header and the central directory.
fn member(zip: &[u8]) -> tf::Result<(String, u32, u32, u32)> {
    expect(zip.starts_with(b"PK\x03\x04"), "a zip local file header first")?;
    let name_len = le(zip, 26, 2) as usize;
    let name = String::from_utf8_lossy(&zip[30..30 + name_len]).into_owned();
    let central = zip
        .windows(4)
        .position(|w| w == b"PK\x01\x02")
        .ok_or_else(|| tf::Error::assertion("no central directory"))?;
    Ok((name, le(zip, 12, 2), le(zip, 28, 2), le(zip, central + 38, 4) >> 16))
}

fn package_into(out: &Path, binary: &Path, extra: &[&str]) -> tf::Result<()> {
    let (out, bin) = (out.to_string_lossy(), binary.to_string_lossy());
    let (linux, windows) = (format!("linux_amd64={bin}"), format!("windows_amd64={bin}"));
    let mut args = vec![
        "--version",
        "1.2.3",
        "--out",
        &out,
        "--binary",
        &windows,
        "--binary",
        &linux,
    ];
    args.extend(extra);
    package::run(&args)?.ok().map(drop)
}

/// Two runs over the same binary (touched in between, arguments reordered) give identical zips, SHA256SUMS
/// and manifest; members are `terraform-provider-hub_v1.2.3` (`.exe` on Windows), 0755, dated 1980-01-01.
#[test]
fn package_is_byte_identical_for_identical_input() -> tf::Result<()> {
    let dir = tempfile::tempdir().map_err(err)?;
    let binary = dir.path().join("terraform-provider-hub");
    std::fs::write(&binary, "#!/bin/sh\necho a provider stand-in\n".repeat(500)).map_err(err)?;
    let (a, b, c) = (dir.path().join("a"), dir.path().join("b"), dir.path().join("c"));
    package_into(&a, &binary, &[])?;
    let later = SystemTime::now() + Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(&binary)
        .and_then(|f| f.set_modified(later))
        .map_err(err)?;
    package_into(&b, &binary, &[])?;
    package_into(&c, &binary, &["--source-date-epoch", "1700000000"])?;
    let names = [
        "terraform-provider-hub_1.2.3_linux_amd64.zip",
        "terraform-provider-hub_1.2.3_windows_amd64.zip",
        "terraform-provider-hub_1.2.3_SHA256SUMS",
        "terraform-provider-hub_1.2.3_manifest.json",
    ];
    for name in names {
        let (x, y) = (
            std::fs::read(a.join(name)).map_err(err)?,
            std::fs::read(b.join(name)).map_err(err)?,
        );
        expect(x == y, &format!("{name} is byte-identical across runs"))?;
    }
    let read = |d: &Path, n: &str| std::fs::read(d.join(n)).map_err(err);
    let linux = member(&read(&a, names[0])?)?;
    // DOS date 1980-01-01: (0 << 9) | (1 << 5) | 1.
    expect(
        linux == ("terraform-provider-hub_v1.2.3".into(), 0x21, 0, 0o100755),
        &format!("{linux:?}"),
    )?;
    let windows = member(&read(&a, names[1])?)?;
    expect(
        windows.0 == "terraform-provider-hub_v1.2.3.exe",
        &format!("{windows:?}"),
    )?;
    // 2023-11-14 22:13:20 UTC: ((2023 - 1980) << 9) | (11 << 5) | 14.
    let dated = member(&read(&c, names[0])?)?;
    expect(
        dated.1 == (43 << 9) | (11 << 5) | 14,
        &format!("--source-date-epoch dates the entry: {dated:?}"),
    )?;

    let sums = String::from_utf8_lossy(&read(&a, names[2])?).into_owned();
    let listed: Vec<&str> = sums
        .lines()
        .filter_map(|l| l.split_once("  ").map(|(_, n)| n))
        .collect();
    let mut sorted = names.to_vec();
    sorted.retain(|n| !n.ends_with("SHA256SUMS"));
    sorted.sort_unstable();
    expect(
        listed == sorted,
        &format!("SHA256SUMS lists the zips and the manifest, sorted:\n{sums}"),
    )?;
    let manifest: serde_json::Value = serde_json::from_slice(&read(&a, names[3])?).map_err(err)?;
    expect(
        manifest == serde_json::json!({"version": 1, "metadata": {"protocol_versions": ["6.0"]}}),
        &format!("manifest {manifest}"),
    )
}

/// Each bad argument is refused (exit 2) with a message naming it, and no archive is written.
#[test]
fn package_refuses_bad_input() -> tf::Result<()> {
    let dir = tempfile::tempdir().map_err(err)?;
    let out = dir.path().join("out").to_string_lossy().into_owned();
    let binary = dir.path().join("bin");
    std::fs::write(&binary, "x").map_err(err)?;
    let good = format!("linux_amd64={}", binary.display());
    let cases: [(&[&str], &str); 5] = [
        (
            &["--version", "v1.2.3", "--binary", &good],
            "--version 'v1.2.3' is not a semantic version X.Y.Z",
        ),
        (
            &["--version", "1.2", "--binary", &good],
            "--version '1.2' is not a semantic version X.Y.Z",
        ),
        (
            &["--version", "1.2.3", "--binary", "linux_amd64=/nonexistent/hub"],
            "no such file /nonexistent/hub",
        ),
        (
            &["--version", "1.2.3", "--binary", "linux-amd64=/bin/sh"],
            "'linux-amd64' is not OS_ARCH",
        ),
        (
            &["--version", "1.2.3", "--binary", "plan9_amd64=/bin/sh"],
            "'plan9_amd64' is not OS_ARCH",
        ),
    ];
    for (args, message) in cases {
        let mut full = vec!["--out", out.as_str()];
        full.extend(args);
        let result = package::run(&full)?;
        expect(result.code == Some(2), &format!("exit status 2 for {args:?}: {result}"))?;
        expect(result.stderr.contains(message), &format!("{message:?} in: {result}"))?;
        expect(!Path::new(&out).exists(), "nothing written")?;
    }
    Ok(())
}
