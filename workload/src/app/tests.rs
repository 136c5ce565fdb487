//! Every route through `app(state).oneshot(request)`: no socket, no process.

use crate::app::{admin, app, probes_only};
use crate::identity::Identity;
use crate::state::AppState;
use crate::test_support::settings;
use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::Value;
use std::time::{Duration, Instant};
use tower::ServiceExt;

fn state(vars: &[(&str, &str)], env: &[(&str, &str)]) -> AppState {
    let env = env.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    AppState::new(settings(vars), env)
}

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

async fn send(router: &Router, request: Request<Body>) -> Answer {
    let response = router.clone().oneshot(request).await.expect("infallible");
    let (parts, body) = response.into_parts();
    let body = body.collect().await.expect("body").to_bytes().to_vec();
    Answer {
        status: parts.status,
        headers: parts.headers,
        body,
    }
}

async fn get(router: &Router, path: &str) -> Answer {
    send(router, Request::get(path).body(Body::empty()).expect("request")).await
}

#[tokio::test]
async fn health_and_alias_answer_the_seed_body_exactly() {
    let router = app(state(&[], &[]));
    for path in ["/health", "/api/v1/health"] {
        let answer = get(&router, path).await;
        assert_eq!(answer.status, StatusCode::OK, "{path}");
        assert_eq!(answer.body, br#"{"status":"healthy"}"#, "{path}");
        assert_eq!(answer.headers[header::CONTENT_TYPE], "application/json");
    }
    let head = send(&router, Request::head("/health").body(Body::empty()).expect("request")).await;
    assert_eq!(head.status, StatusCode::OK);
    assert!(head.body.is_empty());
}

#[tokio::test]
async fn readiness_fails_when_draining_while_liveness_and_startup_pass() {
    let state = state(&[], &[]);
    let router = app(state.clone());
    let ready = get(&router, "/ready").await;
    assert_eq!(
        (ready.status, ready.text().as_str()),
        (StatusCode::OK, r#"{"status":"ready"}"#)
    );
    assert_eq!(get(&router, "/startup").await.text(), r#"{"status":"started"}"#);

    state.lifecycle.begin_drain();
    let ready = get(&router, "/ready").await;
    assert_eq!(ready.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(ready.json()["reason"], "draining");
    assert_eq!(get(&router, "/health").await.status, StatusCode::OK);
    assert_eq!(get(&router, "/startup").await.status, StatusCode::OK);
}

#[tokio::test]
async fn readiness_waits_for_dependencies() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let open = listener.local_addr().expect("addr");
    let state = state(&[("HUB_DEPENDS_ON", &format!("tcp://{open}"))], &[]);
    let router = app(state.clone());

    let ready = get(&router, "/ready").await;
    assert_eq!(ready.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(ready.json()["reason"], "starting");
    let startup = get(&router, "/startup").await;
    assert_eq!(
        (startup.status, startup.text().as_str()),
        (StatusCode::SERVICE_UNAVAILABLE, r#"{"status":"starting"}"#)
    );

    state.lifecycle.mark_started();
    let ready = get(&router, "/ready").await;
    assert_eq!(ready.json()["reason"], "dependencies unavailable");
    assert_eq!(ready.json()["dependencies"][0]["error"], "not checked yet");

    state.deps.check_all().await;
    let ready = get(&router, "/ready").await;
    assert_eq!(ready.status, StatusCode::OK, "{}", ready.text());
    assert_eq!(ready.json()["dependencies"][0]["ok"], true);
    assert_eq!(ready.json()["dependencies"][0]["target"], format!("tcp://{open}"));

    drop(listener);
    state.deps.check_all().await;
    assert_eq!(get(&router, "/ready").await.status, StatusCode::SERVICE_UNAVAILABLE);
}

#[tokio::test]
async fn index_describes_the_service() {
    let router = app(state(
        &[("HUB_SERVICE_NAME", "orders")],
        &[("HOSTNAME", "orders-7d9f-abc")],
    ));
    let answer = get(&router, "/").await;
    assert_eq!(answer.status, StatusCode::OK);
    let body = answer.json();
    assert_eq!(body["service"], "orders");
    assert_eq!(body["hostname"], "orders-7d9f-abc");
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
    let endpoints = body["endpoints"].as_array().expect("endpoints");
    assert!(endpoints.iter().any(|p| p == "/health"), "{body}");
    assert!(
        !endpoints
            .iter()
            .any(|p| ["/configs", "/identity", "/metrics"].contains(&p.as_str().unwrap_or(""))),
        "the public index does not advertise admin routes: {body}"
    );
}

#[tokio::test]
async fn configs_show_env_and_files_with_secrets_redacted() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("app.properties"), "mode=fast\n").expect("write");
    std::fs::write(dir.path().join("client_secret"), "abc").expect("write");
    let dirs = dir.path().display().to_string();
    let router = admin(state(
        &[("HUB_CONFIG_DIRS", &dirs), ("HUB_SECRET_KEYS", "DATABASE_URL")],
        &[
            ("ENVIRONMENT", "staging"),
            ("DATABASE_URL", "postgres://db/app"),
            ("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI"),
            ("HUB_SECRET_KEYS", "DATABASE_URL"),
        ],
    ));
    let answer = get(&router, "/configs").await;
    assert_eq!(answer.status, StatusCode::OK);
    let body = answer.json();
    assert_eq!(body["env"]["ENVIRONMENT"], "staging");
    assert_eq!(body["env"]["DATABASE_URL"], "[redacted]");
    assert_eq!(body["env"]["AWS_SECRET_ACCESS_KEY"], "[redacted]");
    assert_eq!(body["env"]["HUB_SECRET_KEYS"], "DATABASE_URL");
    assert_eq!(body["redacted"]["env:DATABASE_URL"], "declared-secret");
    assert_eq!(body["redacted"]["env:AWS_SECRET_ACCESS_KEY"], "secret-name");
    let file = |name: &str| body["files"][dir.path().join(name).display().to_string()].clone();
    assert_eq!(file("app.properties"), "mode=fast\n");
    assert_eq!(file("client_secret"), "[redacted]");
    let text = answer.text();
    assert!(
        !text.contains("wJalrXUtnFEMI") && !text.contains("postgres://db") && !text.contains("\"abc\""),
        "{text}"
    );
}

#[tokio::test]
async fn metrics_count_requests_by_route_template() {
    let state = state(&[], &[]);
    let router = app(state.clone());
    for _ in 0..3 {
        get(&router, "/health").await;
    }
    get(&router, "/no/such/path/12345").await;
    let answer = get(&admin(state), "/metrics").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(
        answer.headers[header::CONTENT_TYPE],
        "text/plain; version=0.0.4; charset=utf-8"
    );
    let text = answer.text();
    assert!(
        text.contains("http_requests_total{route=\"/health\",method=\"GET\",status=\"200\"} 3"),
        "{text}"
    );
    assert!(
        text.contains("http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"} 1"),
        "{text}"
    );
    assert!(!text.contains("12345"), "raw paths never become labels");
    assert!(text.contains("hub_workload_ready 1"));
    assert!(text.contains("process_resident_memory_bytes "));
    // The /metrics request itself is in flight while rendering.
    assert!(text.contains("http_requests_in_flight 1"), "{text}");
}

#[tokio::test]
async fn unknown_routes_and_methods_get_json_errors() {
    let router = app(state(&[], &[]));
    let missing = get(&router, "/nope").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.json()["error"], "not found");
    let wrong = send(&router, Request::post("/health").body(Body::empty()).expect("request")).await;
    assert_eq!(wrong.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(wrong.json()["error"], "method not allowed");
}

#[tokio::test]
async fn request_ids_are_generated_or_echoed() {
    let router = app(state(&[], &[]));
    let a = get(&router, "/health").await;
    let b = get(&router, "/health").await;
    let (a, b) = (&a.headers["x-request-id"], &b.headers["x-request-id"]);
    assert_ne!(a, b);
    let request = Request::get("/health")
        .header("x-request-id", "from-the-ingress-42")
        .body(Body::empty())
        .expect("request");
    assert_eq!(
        send(&router, request).await.headers["x-request-id"],
        "from-the-ingress-42"
    );
}

#[tokio::test]
async fn identity_reports_errors_without_hanging() {
    use aws_config::retry::RetryConfig;
    use aws_config::{BehaviorVersion, Region};
    use aws_sdk_sts::config::{Credentials, SharedCredentialsProvider};

    let closed = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind")
        .local_addr()
        .expect("addr");
    let config = aws_config::SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(format!("http://{closed}"))
        .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
            "AKIDTEST",
            "not-a-secret",
            None,
            None,
            "test",
        )))
        .retry_config(RetryConfig::disabled())
        .build();
    let grants = ["s3://bucket/key", "secretsmanager:db", "ssm:/app/flag"]
        .iter()
        .map(|g| g.parse().expect("grant"))
        .collect();
    let identity = Identity::with_config(config, grants, Duration::from_secs(5));
    let router = admin(AppState::with_identity(settings(&[]), Vec::new(), identity));

    let started = Instant::now();
    let answer = get(&router, "/identity").await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE);
    let body = answer.json();
    assert_eq!(body["ok"], false);
    assert_eq!(body["caller"]["ok"], false);
    assert!(
        body["caller"]["error"].as_str().is_some_and(|e| !e.is_empty()),
        "{body}"
    );
    assert_eq!(body["endpoint"], format!("http://{closed}"));
    let grants = body["grants"].as_array().expect("grants");
    assert_eq!(grants.len(), 3);
    assert_eq!(grants[1]["action"], "secretsmanager:GetSecretValue");
    assert!(
        grants.iter().all(|g| g["ok"] == false && g["error"].is_string()),
        "{body}"
    );
    assert!(!answer.text().contains("not-a-secret"));
}

#[tokio::test]
async fn debug_routes_exist_only_when_enabled() {
    let router = app(state(&[], &[]));
    assert_eq!(get(&router, "/debug/sleep/1").await.status, StatusCode::NOT_FOUND);

    let router = app(state(&[("HUB_DEBUG_ENDPOINTS", "true")], &[]));
    let answer = get(&router, "/debug/sleep/1").await;
    assert_eq!(
        (answer.status, answer.json()["slept_ms"].clone()),
        (StatusCode::OK, Value::from(1))
    );
    assert_eq!(
        get(&router, "/debug/sleep/3600000").await.status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn body_limit_and_request_timeout_apply() {
    let router = app(state(
        &[
            ("HUB_DEBUG_ENDPOINTS", "true"),
            ("HUB_MAX_BODY_BYTES", "1024"),
            ("HUB_REQUEST_TIMEOUT", "100ms"),
        ],
        &[],
    ));
    let post = |body: Vec<u8>| {
        Request::builder()
            .method(Method::POST)
            .uri("/debug/body")
            .body(Body::from(body))
            .expect("request")
    };
    let small = send(&router, post(vec![b'a'; 1024])).await;
    assert_eq!(
        (small.status, small.json()["bytes"].clone()),
        (StatusCode::OK, Value::from(1024))
    );
    assert_eq!(
        send(&router, post(vec![b'a'; 1025])).await.status,
        StatusCode::PAYLOAD_TOO_LARGE
    );

    let started = Instant::now();
    assert_eq!(
        get(&router, "/debug/sleep/2000").await.status,
        StatusCode::SERVICE_UNAVAILABLE
    );
    assert!(started.elapsed() < Duration::from_secs(1));
}

#[tokio::test]
async fn diagnostic_routes_are_only_on_the_admin_port() {
    let state = state(&[], &[("ENVIRONMENT", "prod")]);
    let public = app(state.clone());
    let private = admin(state);
    for path in ["/configs", "/identity", "/metrics"] {
        assert_eq!(
            get(&public, path).await.status,
            StatusCode::NOT_FOUND,
            "{path} on the app port"
        );
    }
    assert_eq!(get(&private, "/configs").await.status, StatusCode::OK);
    assert_eq!(get(&private, "/metrics").await.status, StatusCode::OK);
    for path in ["/health", "/ready", "/startup"] {
        assert_eq!(
            get(&public, path).await.status,
            StatusCode::OK,
            "{path} on the app port"
        );
    }
}

#[tokio::test]
async fn reserved_connections_answer_probes_and_shed_the_rest() {
    let router = probes_only(state(&[("HUB_DEBUG_ENDPOINTS", "true")], &[]));
    assert_eq!(get(&router, "/health").await.body, br#"{"status":"healthy"}"#);
    assert_eq!(get(&router, "/ready").await.status, StatusCode::OK);
    for path in ["/", "/debug/sleep/1", "/configs"] {
        let answer = get(&router, path).await;
        assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE, "{path}");
        assert_eq!(answer.json()["error"], "busy");
    }
}

#[tokio::test]
async fn dependency_credentials_stay_out_of_ready_and_metrics() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let target = format!("http://svc:hunter2pw@{addr}/health?token=t0psecret");
    let state = state(&[("HUB_DEPENDS_ON", &target)], &[("HUB_DEPENDS_ON", &target)]);
    state.lifecycle.mark_started();
    let ready = get(&app(state.clone()), "/ready").await.text();
    let metrics = get(&admin(state.clone()), "/metrics").await.text();
    let configs = get(&admin(state), "/configs").await.text();
    let shown = format!("http://svc:[redacted]@{addr}/health?token=[redacted]");
    assert!(ready.contains(&shown), "{ready}");
    assert!(
        metrics.contains(&format!("hub_workload_dependency_up{{target=\"{shown}\"}} 0")),
        "{metrics}"
    );
    for (surface, text) in [("/ready", &ready), ("/metrics", &metrics), ("/configs", &configs)] {
        for secret in ["hunter2pw", "t0psecret"] {
            assert!(!text.contains(secret), "{surface} shows {secret}: {text}");
        }
    }
}

/// `GetCallerIdentity` as STS answers it.
const STS_IDENTITY: &str = r#"<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:sts::123456789012:assumed-role/app/pod</Arn><UserId>AROATEST:pod</UserId><Account>123456789012</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></GetCallerIdentityResponse>"#;

/// An identity checker whose STS is a counting stand-in on 127.0.0.1.
async fn stand_in_identity(ttl: Duration) -> (Identity, crate::test_support::StaticHttp) {
    use aws_config::retry::RetryConfig;
    use aws_config::{BehaviorVersion, Region};
    use aws_sdk_sts::config::{Credentials, SharedCredentialsProvider};

    let sts = crate::test_support::StaticHttp::script(vec![(200, STS_IDENTITY.to_owned())]).await;
    let config = aws_config::SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(format!("http://{}", sts.addr))
        .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
            "AKIDTEST", "test", None, None, "test",
        )))
        .retry_config(RetryConfig::disabled())
        .build();
    let identity = Identity::with_config(config, Vec::new(), Duration::from_secs(5)).cache_for(ttl);
    (identity, sts)
}

#[tokio::test]
async fn concurrent_identity_requests_share_one_sts_round() {
    let (identity, sts) = stand_in_identity(Duration::from_secs(30)).await;
    let router = admin(AppState::with_identity(settings(&[]), Vec::new(), identity));
    let requests: Vec<_> = (0..20)
        .map(|_| {
            let router = router.clone();
            tokio::spawn(async move { get(&router, "/identity").await })
        })
        .collect();
    for request in requests {
        let answer = request.await.expect("joined");
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
        assert_eq!(answer.json()["caller"]["account"], "123456789012");
    }
    assert_eq!(sts.hits.load(std::sync::atomic::Ordering::SeqCst), 1, "upstream rounds");
    get(&router, "/identity").await;
    assert_eq!(
        sts.hits.load(std::sync::atomic::Ordering::SeqCst),
        1,
        "a fresh report is reused"
    );
}

#[tokio::test]
async fn identity_reports_expire() {
    let (identity, sts) = stand_in_identity(Duration::ZERO).await;
    let router = admin(AppState::with_identity(settings(&[]), Vec::new(), identity));
    for round in 1..=3 {
        assert_eq!(get(&router, "/identity").await.status, StatusCode::OK);
        assert_eq!(sts.hits.load(std::sync::atomic::Ordering::SeqCst), round);
    }
}
