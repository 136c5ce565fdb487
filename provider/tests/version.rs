//! The release identity the built binary reports: `--version` and the first log line name the version and
//! the commit `build.rs` embedded (`hub_provider::build_info`).

use std::process::{Command, Output};

use hub_provider::build_info::{COMMIT, VERSION};

/// Runs the provider with `args` and exactly the log and plugin variables in `env`.
fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_terraform-provider-hub"));
    for key in [
        "TF_LOG",
        "TF_LOG_PROVIDER",
        "TF_LOG_PROVIDER_HUB",
        "PLUGIN_PROTOCOL_VERSIONS",
    ] {
        cmd.env_remove(key);
    }
    cmd.args(args).envs(env.iter().copied()).output().expect("run provider")
}

#[test]
fn version_flag_prints_version_and_commit() {
    let out = run(&["--version"], &[]);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!("terraform-provider-hub {VERSION} (commit {COMMIT})\n")
    );
}

#[test]
fn the_first_log_line_names_version_and_commit() {
    // A launch Terraform would refuse (protocol 5 only) still logs its start first, then exits 1.
    let cookie = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";
    let out = run(
        &[],
        &[
            ("TF_PLUGIN_MAGIC_COOKIE", cookie),
            ("PLUGIN_PROTOCOL_VERSIONS", "5"),
            ("TF_LOG_PROVIDER", "INFO"),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let first: serde_json::Value = stderr
        .lines()
        .next()
        .and_then(|line| serde_json::from_str(line).ok())
        .unwrap_or_else(|| panic!("a JSON log line first on stderr: {stderr}"));
    assert_eq!(first["@message"], "terraform-provider-hub starting", "{first}");
    assert_eq!(first["version"], VERSION, "{first}");
    assert_eq!(first["commit"], COMMIT, "{first}");
}
