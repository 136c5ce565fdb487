use super::{config_mismatch, plan, report, run};
use crate::cli::CheckOptions;
use crate::state::AppState;
use crate::test_support::{StaticHttp, serve_state, settings};
use serde_json::json;
use std::time::Duration;

fn options(urls: &[String], expect: &[(&str, &str)], timeout_ms: u64) -> CheckOptions {
    CheckOptions {
        urls: urls.iter().map(|u| u.parse().expect("url")).collect(),
        expect_config: expect.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
        admin: None,
        timeout: Duration::from_millis(timeout_ms),
        interval: Duration::from_millis(50),
    }
}

#[test]
fn base_urls_expand_to_probes_and_paths_are_kept() {
    let o = options(
        &["http://a:8080".into(), "http://b/api/v1/health".into()],
        &[("ENVIRONMENT", "prod")],
        1000,
    );
    let urls: Vec<String> = plan(&o).iter().map(|c| c.url.to_string()).collect();
    assert_eq!(
        urls,
        [
            "http://a:8080/health",
            "http://a:8080/ready",
            "http://a:8081/configs",
            "http://b/api/v1/health"
        ]
    );
}

#[tokio::test]
async fn passes_against_the_real_app_and_compares_config() {
    let env = vec![
        ("ENVIRONMENT".to_owned(), "staging".to_owned()),
        ("DB_PASSWORD".to_owned(), "x".to_owned()),
    ];
    let served = serve_state(AppState::new(settings(&[]), env)).await;
    let base = format!("http://{}", served.app);
    let with_admin = |mut o: CheckOptions| {
        o.admin = Some(format!("http://{}", served.admin).parse().expect("admin url"));
        o
    };

    let ok = run(
        plan(&with_admin(options(
            std::slice::from_ref(&base),
            &[("ENVIRONMENT", "staging")],
            5000,
        ))),
        Duration::from_secs(5),
        Duration::from_millis(50),
    )
    .await;
    assert!(ok.iter().all(|r| r.passed), "{}", report(&ok, Duration::ZERO));

    let o = with_admin(options(
        &[base],
        &[("ENVIRONMENT", "prod"), ("DB_PASSWORD", "x"), ("MISSING", "1")],
        300,
    ));
    let bad = run(plan(&o), o.timeout, o.interval).await;
    let configs = bad.iter().find(|r| r.url.path() == "/configs").expect("configs check");
    assert!(!configs.passed);
    assert!(configs.attempts >= 2, "retried: {}", configs.attempts);
    for fragment in [
        "expected \"prod\", got \"staging\"",
        "DB_PASSWORD: redacted",
        "MISSING: not set",
    ] {
        assert!(configs.message.contains(fragment), "{}", configs.message);
    }
    let text = report(&bad, Duration::from_millis(300));
    assert!(text.starts_with("hub-workload check: 2/3 passed"), "{text}");
    assert!(text.contains("FAIL"), "{text}");
}

#[tokio::test]
async fn retries_until_the_target_recovers() {
    let server = StaticHttp::script(vec![
        (503, r#"{"status":"not ready"}"#.into()),
        (503, r#"{"status":"not ready"}"#.into()),
        (200, r#"{"status":"ready"}"#.into()),
    ])
    .await;
    let o = options(&[format!("http://{}/ready", server.addr)], &[], 5000);
    let results = run(plan(&o), o.timeout, o.interval).await;
    assert!(results[0].passed, "{:?}", results[0]);
    assert_eq!(results[0].attempts, 3);
    assert_eq!(server.hits.load(std::sync::atomic::Ordering::SeqCst), 3);
}

#[tokio::test]
async fn unhealthy_status_in_body_fails_and_unreachable_times_out() {
    let sick = StaticHttp::script(vec![(200, r#"{"status":"degraded"}"#.into())]).await;
    let o = options(&[format!("http://{}", sick.addr)], &[], 200);
    let results = run(plan(&o), o.timeout, o.interval).await;
    assert!(
        !results[0].passed && results[0].message.contains("degraded"),
        "{:?}",
        results[0]
    );

    let closed = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind")
        .local_addr()
        .expect("addr");
    let o = options(&[format!("http://{closed}/health")], &[], 300);
    let started = std::time::Instant::now();
    let results = run(plan(&o), o.timeout, o.interval).await;
    assert!(!results[0].passed);
    assert!(started.elapsed() < Duration::from_secs(2), "bounded by --timeout");
}

#[test]
fn config_lookup_prefers_env_then_files_by_path_or_name() {
    let body = json!({
        "env": {"A": "1"},
        "files": {"/etc/app/config/level": "debug\n", "/etc/app/secrets/token": "[redacted]"}
    });
    assert_eq!(config_mismatch(&body, "A", "1"), None);
    assert_eq!(config_mismatch(&body, "level", "debug"), None);
    assert_eq!(config_mismatch(&body, "/etc/app/config/level", "debug"), None);
    assert!(config_mismatch(&body, "token", "x").is_some_and(|m| m.contains("redacted")));
}
