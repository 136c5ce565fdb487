//! The admin port: diagnostic routes live there and nowhere else, and it cannot share the app port.

mod common;

use common::{BIN, Workload};

#[test]
fn diagnostics_are_served_on_the_admin_port_only() {
    let w = Workload::start(&[("ENVIRONMENT", "test")]);
    for path in ["/configs", "/identity", "/metrics"] {
        let answer = w.get(path).expect("app port");
        assert_eq!(answer.status, 404, "{path} on the app port: {answer:?}");
    }
    let configs = w.admin_get("/configs").expect("admin port");
    assert_eq!(configs.status, 200, "{configs:?}");
    assert_eq!(configs.json()["env"]["ENVIRONMENT"], "test");
    let metrics = w.admin_get("/metrics").expect("admin port");
    assert!(metrics.body.contains("hub_workload_ready 1"), "{}", metrics.body);
    // Probes stay on the app port, where the kubelet and the load balancer look for them.
    for path in ["/health", "/ready", "/startup"] {
        assert_eq!(w.get(path).expect("app port").status, 200, "{path}");
    }
}

#[test]
fn admin_port_equal_to_the_app_port_exits_2() {
    let output = std::process::Command::new(BIN)
        .env_clear()
        .env("HUB_PORT", "18080")
        .env("HUB_ADMIN_PORT", "18080")
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("HUB_ADMIN_PORT"), "{stderr}");
}
