use super::{Metrics, render};
use crate::deps::DependencyStatus;
use http::Method;
use std::time::Duration;

fn line<'a>(text: &'a str, prefix: &str) -> &'a str {
    text.lines()
        .find(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line starting with {prefix:?} in:\n{text}"))
}

#[test]
fn counts_and_histograms_by_route_method_and_status() {
    let m = Metrics::new();
    m.record("/health", &Method::GET, 200, Duration::from_micros(300));
    m.record("/health", &Method::GET, 200, Duration::from_millis(3));
    m.record("/health", &Method::GET, 200, Duration::from_secs(20));
    m.record("/ready", &Method::GET, 503, Duration::from_millis(1));
    m.record(
        "unmatched",
        &Method::from_bytes(b"BREW").expect("method"),
        404,
        Duration::ZERO,
    );

    let text = render(&m, true, &[]);
    assert_eq!(
        line(
            &text,
            "http_requests_total{route=\"/health\",method=\"GET\",status=\"200\"}"
        ),
        "http_requests_total{route=\"/health\",method=\"GET\",status=\"200\"} 3"
    );
    let labels = "route=\"/health\",method=\"GET\",status=\"200\"";
    for (le, expected) in [("0.0005", 1), ("0.001", 1), ("0.005", 2), ("10", 2), ("+Inf", 3)] {
        let prefix = format!("http_request_duration_seconds_bucket{{{labels},le=\"{le}\"}}");
        assert_eq!(line(&text, &prefix), format!("{prefix} {expected}"));
    }
    let sum: f64 = line(&text, &format!("http_request_duration_seconds_sum{{{labels}}}"))
        .rsplit(' ')
        .next()
        .and_then(|v| v.parse().ok())
        .expect("sum");
    assert!((sum - 20.0033).abs() < 1e-6, "{sum}");
    assert!(text.contains("http_requests_total{route=\"/ready\",method=\"GET\",status=\"503\"} 1"));
    assert!(text.contains("http_requests_total{route=\"unmatched\",method=\"OTHER\",status=\"404\"} 1"));
    assert!(text.contains("hub_workload_ready 1"));
    assert!(text.contains(&format!(
        "hub_workload_build_info{{version=\"{}\"",
        env!("CARGO_PKG_VERSION")
    )));
}

#[test]
fn every_family_has_help_and_type_and_process_metrics_are_present() {
    let m = Metrics::new();
    let deps = [DependencyStatus {
        target: "tcp://db:5432".into(),
        ok: false,
        error: Some("refused".into()),
        latency_ms: 1.0,
    }];
    let text = render(&m, false, &deps);
    for family in [
        "http_requests_total",
        "http_request_duration_seconds",
        "http_requests_in_flight",
        "hub_workload_build_info",
        "hub_workload_dependency_up",
        "process_resident_memory_bytes",
        "process_cpu_seconds_total",
        "process_open_fds",
        "process_start_time_seconds",
    ] {
        assert!(text.contains(&format!("# TYPE {family} ")), "{family} missing:\n{text}");
        assert!(text.contains(&format!("# HELP {family} ")), "{family} missing:\n{text}");
    }
    assert!(text.contains("hub_workload_dependency_up{target=\"tcp://db:5432\"} 0"));
    assert!(text.contains("hub_workload_ready 0"));
}

#[test]
fn in_flight_gauge_follows_guards() {
    let m = Metrics::new();
    let a = m.start();
    let b = m.start();
    assert_eq!(m.in_flight(), 2);
    drop(a);
    drop(b);
    assert_eq!(m.in_flight(), 0);
}

#[test]
fn label_values_are_escaped() {
    assert_eq!(super::render::escape("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
}
