//! Secrets given to the real binary never leave it: dependency credentials stay out of `/ready`,
//! `/metrics` and the logs, and `/configs` honours `HUB_SECRET_KEYS` and `HUB_PUBLIC_KEYS`.

mod common;

use common::Workload;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

/// An HTTP dependency on 127.0.0.1 that answers every request with 200.
fn healthy_dependency() -> std::net::SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    std::thread::spawn(move || {
        for mut stream in listener.incoming().map_while(Result::ok) {
            let mut head = Vec::new();
            let mut buf = [0u8; 1024];
            while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => head.extend_from_slice(&buf[..n]),
                }
            }
            let _ = stream.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
        }
    });
    addr
}

const SECRETS: [&str; 3] = ["hunter2pw", "t0psecret", "declared-value"];

#[test]
fn secrets_stay_out_of_every_surface() {
    let dependency = healthy_dependency();
    let target = format!("http://svc:hunter2pw@{dependency}/health?token=t0psecret");
    let w = Workload::start(&[
        ("HUB_DEPENDS_ON", &target),
        ("HUB_DEPENDS_INTERVAL", "100ms"),
        ("HUB_SECRET_KEYS", "API_BASE_URL, LOG_FORMAT"),
        ("API_BASE_URL", "declared-value"),
        ("LOG_FORMAT", "declared-value"),
        ("HUB_PUBLIC_KEYS", "GREETING"),
        ("GREETING", "hello"),
        ("MAILER", "plain"),
        ("ENVIRONMENT", "test"),
    ]);
    let deadline = Instant::now() + Duration::from_secs(10);
    let ready = loop {
        let ready = w.get("/ready").expect("ready");
        if ready.status == 200 {
            break ready;
        }
        assert!(Instant::now() < deadline, "never ready: {ready:?}");
    };
    let shown = format!("http://svc:[redacted]@{dependency}/health?token=[redacted]");
    assert_eq!(ready.json()["dependencies"][0]["target"], shown.as_str());
    let metrics = w.admin_get("/metrics").expect("metrics").body;
    assert!(
        metrics.contains(&format!("hub_workload_dependency_up{{target=\"{shown}\"}} 1")),
        "{metrics}"
    );

    let configs = w.admin_get("/configs").expect("configs").json();
    for name in ["API_BASE_URL", "LOG_FORMAT"] {
        assert_eq!(configs["env"][name], "[redacted]", "{name}");
        assert_eq!(configs["redacted"][format!("env:{name}")], "declared-secret", "{name}");
    }
    assert_eq!(configs["env"]["GREETING"], "hello");
    assert_eq!(configs["env"]["ENVIRONMENT"], "test");
    assert_eq!(configs["env"]["MAILER"], "[redacted]");
    assert_eq!(configs["redacted"]["env:MAILER"], "unlisted-name");

    let logs = w.log_lines();
    assert!(
        logs.iter()
            .any(|l| l.contains("dependency status changed") && l.contains(&shown)),
        "{logs:#?}"
    );
    let surfaces = [ready.body.clone(), metrics, configs.to_string(), logs.join("\n")];
    for (surface, text) in ["/ready", "/metrics", "/configs", "logs"].iter().zip(&surfaces) {
        for secret in SECRETS {
            assert!(!text.contains(secret), "{surface} shows {secret}: {text}");
        }
    }
}
