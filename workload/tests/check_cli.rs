//! `hub-workload check` against a running `hub-workload`: exit codes and the report.

mod common;

use common::{BIN, Workload};
use std::process::Command;

fn check(args: &[&str]) -> (Option<i32>, String) {
    let output = Command::new(BIN).arg("check").args(args).output().expect("run check");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

#[test]
fn passes_with_matching_config_and_fails_otherwise() {
    let w = Workload::start(&[("ENVIRONMENT", "test")]);
    let base = format!("http://{}", w.addr);
    let admin = format!("http://{}", w.admin);

    let (code, report) = check(&[
        &base,
        "--expect-config",
        "ENVIRONMENT=test",
        "--admin",
        &admin,
        "--timeout",
        "5s",
    ]);
    assert_eq!(code, Some(0), "{report}");
    assert!(report.starts_with("hub-workload check: 3/3 passed"), "{report}");

    let (code, report) = check(&[
        &base,
        "--expect-config=ENVIRONMENT=prod",
        &format!("--admin={admin}"),
        "--timeout=500ms",
        "--interval=100ms",
    ]);
    assert_eq!(code, Some(1), "{report}");
    assert!(
        report.contains("FAIL") && report.contains("expected \"prod\", got \"test\""),
        "{report}"
    );

    let alias = format!("{base}/api/v1/health");
    let (code, report) = check(&[&alias, "--timeout", "2s"]);
    assert_eq!(code, Some(0), "{report}");
}

#[test]
fn usage_errors_exit_2() {
    let output = Command::new(BIN).arg("check").output().expect("run");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("usage: hub-workload"));
}
