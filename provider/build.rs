//! Compiles the vendored tfplugin6 and go-plugin protos with protox (no system `protoc` needed), and sets
//! `HUB_BUILD_VERSION` and `HUB_BUILD_COMMIT` for `build_info`: the version `make release` builds
//! (`HUB_RELEASE_VERSION`, else the crate's), and the commit from `HUB_GIT_COMMIT` or git. No timestamps:
//! builds stay reproducible.

use std::path::Path;
use std::process::Command;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let files = [
        "../proto/tfplugin6.proto",
        "../proto/plugin/grpc_controller.proto",
        "../proto/plugin/grpc_stdio.proto",
        "../proto/plugin/grpc_broker.proto",
    ];
    for file in files {
        println!("cargo:rerun-if-changed={file}");
    }
    let descriptors = protox::compile(files, ["../proto"])?;
    tonic_prost_build::configure()
        .build_client(true)
        .build_server(true)
        .generate_default_stubs(true)
        .compile_fds(descriptors)?;
    println!("cargo:rustc-env=HUB_BUILD_VERSION={}", version()?);
    println!("cargo:rustc-env=HUB_BUILD_COMMIT={}", commit());
    Ok(())
}

/// `HUB_RELEASE_VERSION` (the release's `x.y.z`, so the zip's name and `--version` agree without a commit
/// per version), else the crate version. Only characters a User-Agent product version may hold.
fn version() -> Result<String, String> {
    println!("cargo:rerun-if-env-changed=HUB_RELEASE_VERSION");
    let version = std::env::var("HUB_RELEASE_VERSION")
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| env!("CARGO_PKG_VERSION").to_owned());
    let valid = version.starts_with(|c: char| c.is_ascii_digit())
        && version
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+'));
    if valid {
        Ok(version)
    } else {
        Err(format!(
            "HUB_RELEASE_VERSION={version:?} is not a version like 1.2.3 or 1.2.3-rc.1"
        ))
    }
}

/// The commit: `HUB_GIT_COMMIT` if set (a release build, or a source tarball that knows it), else
/// `git rev-parse HEAD`, else "unknown" (built outside git). Re-run when HEAD moves.
fn commit() -> String {
    println!("cargo:rerun-if-env-changed=HUB_GIT_COMMIT");
    if let Some(commit) = std::env::var("HUB_GIT_COMMIT").ok().filter(|c| is_hash(c)) {
        return commit;
    }
    let git = |args: &[&str]| -> Option<String> {
        let out = Command::new("git").args(args).output().ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
    };
    let Some(head) = git(&["rev-parse", "HEAD"]).filter(|c| is_hash(c)) else {
        return "unknown".into();
    };
    // HEAD itself, and the branch it points at, change when a commit is made or checked out.
    let watched = ["HEAD".to_owned()]
        .into_iter()
        .chain(git(&["symbolic-ref", "-q", "HEAD"]))
        .chain(["packed-refs".to_owned()]);
    for name in watched {
        if let Some(path) = git(&["rev-parse", "--path-format=absolute", "--git-path", &name])
            && Path::new(&path).exists()
        {
            println!("cargo:rerun-if-changed={path}");
        }
    }
    head
}

/// A hex commit id (a full or abbreviated hash); anything else is ignored.
fn is_hash(s: &str) -> bool {
    (7..=64).contains(&s.len()) && s.chars().all(|c| c.is_ascii_hexdigit())
}
