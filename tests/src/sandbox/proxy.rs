//! The AWS fault proxy: `AWS_ENDPOINT_URL` points here, and every request is forwarded to moto unless the
//! current [`FaultConfig`] says to answer with throttling or a server error instead. moto has no fault
//! injection for IAM/EKS/STS (see moto.md §7), and the provider's retry paths need exercising.
//!
//! Errors are shaped as AWS sends them, so SDK retry classifiers treat them as the real thing: IAM and STS
//! speak the query protocol (XML `<ErrorResponse>`), EKS speaks rest-json (`X-Amzn-ErrorType` header).
//! While moto is down (a test stopped it) the proxy answers 503 ServiceUnavailable.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::Mutex;
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, Method, Request, Response, StatusCode};
use http_body_util::{BodyExt as _, Full};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioIo};

use super::error::{IoContext, Result};
use super::faults::{FaultConfig, FaultStatus};

/// Shared proxy state.
struct State {
    upstream: String,
    client: Client<HttpConnector, Full<Bytes>>,
    inner: Mutex<Inner>,
}

struct Inner {
    status: FaultStatus,
    rng: u64,
}

/// splitmix64: tiny, good enough for fault dice and request IDs, no dependency.
fn next_u64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Uniform in `[0, 1)`.
fn next_f64(state: &mut u64) -> f64 {
    (next_u64(state) >> 11) as f64 / (1u64 << 53) as f64
}

fn time_seed() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0x5EED)
}

/// What to do with one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Decision {
    Forward,
    Throttle,
    ServerError(u16),
}

/// Service and access key of a request, from the SigV4 credential scope (header or presigned query).
fn credential_scope(headers: &HeaderMap, query: &str, body: &[u8]) -> (String, String) {
    let from_scope = |scope: &str| {
        let parts: Vec<&str> = scope.split('/').collect();
        match parts[..] {
            [akid, _, _, service, _] => Some((service.to_ascii_lowercase(), akid.to_owned())),
            _ => None,
        }
    };
    if let Some(auth) = headers.get(http::header::AUTHORIZATION).and_then(|v| v.to_str().ok())
        && let Some(cred) = auth.split("Credential=").nth(1)
        && let Some(found) = from_scope(cred.split(',').next().unwrap_or_default())
    {
        return found;
    }
    for pair in query.split('&') {
        if let Some(v) = pair.strip_prefix("X-Amz-Credential=") {
            let v = percent_encoding::percent_decode_str(v).decode_utf8_lossy();
            if let Some(found) = from_scope(&v) {
                return found;
            }
        }
    }
    // Unsigned calls (AssumeRoleWithWebIdentity/SAML) are STS.
    let body = String::from_utf8_lossy(body);
    if body.contains("Action=AssumeRoleWith") {
        return ("sts".to_owned(), String::new());
    }
    ("unknown".to_owned(), String::new())
}

fn decide(inner: &mut Inner, service: &str, access_key: &str) -> Decision {
    let cfg = &mut inner.status.config;
    if !cfg.services.is_empty() && !cfg.services.iter().any(|s| s.eq_ignore_ascii_case(service)) {
        return Decision::Forward;
    }
    if !cfg.access_key_ids.is_empty() && !cfg.access_key_ids.iter().any(|k| k == access_key) {
        return Decision::Forward;
    }
    let status = if cfg.server_error_status == 0 {
        500
    } else {
        cfg.server_error_status
    };
    if cfg.throttle_next > 0 {
        cfg.throttle_next -= 1;
        return Decision::Throttle;
    }
    if cfg.server_error_next > 0 {
        cfg.server_error_next -= 1;
        return Decision::ServerError(status);
    }
    if cfg.throttle_rate <= 0.0 && cfg.server_error_rate <= 0.0 {
        return Decision::Forward;
    }
    let (t, e) = (cfg.throttle_rate, cfg.server_error_rate);
    let roll = next_f64(&mut inner.rng);
    if roll < t {
        Decision::Throttle
    } else if roll < t + e {
        Decision::ServerError(status)
    } else {
        Decision::Forward
    }
}

fn request_id() -> String {
    let mut seed = time_seed();
    let hex = format!("{:016x}{:016x}", next_u64(&mut seed), next_u64(&mut seed));
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// An AWS-shaped error response for `service`.
pub fn aws_error(service: &str, status: u16, code: &str, message: &str) -> Response<Full<Bytes>> {
    let id = request_id();
    let (content_type, body, error_type) = if service == "eks" {
        (
            "application/json",
            serde_json::json!({ "message": message }).to_string(),
            Some(code),
        )
    } else {
        let ns = match service {
            "iam" => " xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"",
            "sts" => " xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"",
            _ => "",
        };
        let kind = if status >= 500 { "Receiver" } else { "Sender" };
        (
            "text/xml",
            format!(
                "<ErrorResponse{ns}><Error><Type>{kind}</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>{id}</RequestId></ErrorResponse>"
            ),
            None,
        )
    };
    let mut resp = Response::new(Full::new(Bytes::from(body)));
    *resp.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let h = resp.headers_mut();
    h.insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static(content_type));
    if let Ok(v) = http::HeaderValue::from_str(&id) {
        h.insert("x-amzn-requestid", v);
    }
    if let Some(t) = error_type
        && let Ok(v) = http::HeaderValue::from_str(t)
    {
        h.insert("x-amzn-errortype", v);
    }
    resp
}

fn injected(service: &str, d: Decision) -> Response<Full<Bytes>> {
    match (d, service == "eks") {
        (Decision::Throttle, false) => aws_error(service, 400, "Throttling", "Rate exceeded"),
        (Decision::Throttle, true) => aws_error(service, 400, "ThrottlingException", "Rate exceeded"),
        (Decision::ServerError(503), false) => aws_error(
            service,
            503,
            "ServiceUnavailable",
            "Service is unavailable. Please try again later.",
        ),
        (Decision::ServerError(503), true) => aws_error(
            service,
            503,
            "ServiceUnavailableException",
            "Service is unavailable. Please try again later.",
        ),
        (_, false) => aws_error(
            service,
            500,
            "InternalFailure",
            "We encountered an internal error. Please try again.",
        ),
        (_, true) => aws_error(
            service,
            500,
            "ServerException",
            "We encountered an internal error. Please try again.",
        ),
    }
}

const HOP_BY_HOP: [&str; 8] = [
    "connection",
    "keep-alive",
    "proxy-connection",
    "transfer-encoding",
    "upgrade",
    "te",
    "trailer",
    "content-length",
];

async fn forward(state: &State, parts: http::request::Parts, body: Bytes, service: &str) -> Response<Full<Bytes>> {
    let path = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let uri = format!("http://{}{}", state.upstream, path);
    let mut req = Request::builder().method(parts.method.clone()).uri(uri);
    for (k, v) in parts.headers.iter() {
        if !HOP_BY_HOP.contains(&k.as_str()) {
            req = req.header(k, v);
        }
    }
    let Ok(req) = req.body(Full::new(body)) else {
        return aws_error(
            service,
            500,
            "InternalFailure",
            "proxy could not build the upstream request",
        );
    };
    let sent = tokio::time::timeout(Duration::from_secs(60), state.client.request(req)).await;
    let resp = match sent {
        Ok(Ok(r)) => r,
        _ => {
            if let Ok(mut inner) = state.inner.lock() {
                inner.status.stats.upstream_errors += 1;
            }
            return aws_error(
                service,
                503,
                if service == "eks" {
                    "ServiceUnavailableException"
                } else {
                    "ServiceUnavailable"
                },
                "Service is unavailable (sandbox moto is down).",
            );
        }
    };
    let (rparts, rbody) = resp.into_parts();
    let bytes = rbody.collect().await.map(|b| b.to_bytes()).unwrap_or_default();
    let mut out = Response::new(Full::new(bytes));
    *out.status_mut() = rparts.status;
    for (k, v) in rparts.headers.iter() {
        if !HOP_BY_HOP.contains(&k.as_str()) {
            out.headers_mut().append(k, v.clone());
        }
    }
    if let Ok(mut inner) = state.inner.lock() {
        inner.status.stats.forwarded += 1;
    }
    out
}

async fn handle_aws(state: Arc<State>, req: Request<Incoming>) -> Response<Full<Bytes>> {
    let (parts, body) = req.into_parts();
    let body = body.collect().await.map(|b| b.to_bytes()).unwrap_or_default();
    let (service, access_key) = credential_scope(&parts.headers, parts.uri.query().unwrap_or_default(), &body);
    let decision = match state.inner.lock() {
        Ok(mut inner) => {
            inner.status.stats.requests += 1;
            let d = decide(&mut inner, &service, &access_key);
            match d {
                Decision::Throttle => inner.status.stats.throttled += 1,
                Decision::ServerError(_) => inner.status.stats.server_errors += 1,
                Decision::Forward => {}
            }
            d
        }
        Err(_) => Decision::Forward,
    };
    match decision {
        Decision::Forward => forward(&state, parts, body, &service).await,
        d => injected(&service, d),
    }
}

fn json(status: StatusCode, v: &impl serde::Serialize) -> Response<Full<Bytes>> {
    let body = serde_json::to_vec(v).unwrap_or_default();
    let mut resp = Response::new(Full::new(Bytes::from(body)));
    *resp.status_mut() = status;
    resp.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json"),
    );
    resp
}

async fn handle_control(state: Arc<State>, req: Request<Incoming>) -> Response<Full<Bytes>> {
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let body = req
        .into_body()
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let Ok(mut inner) = state.inner.lock() else {
        return json(StatusCode::INTERNAL_SERVER_ERROR, &"state lock poisoned");
    };
    match (method, path.as_str()) {
        (Method::GET, "/healthz") => json(StatusCode::OK, &"ok"),
        (Method::GET, "/faults") => json(StatusCode::OK, &inner.status),
        (Method::PUT, "/faults") => match serde_json::from_slice::<FaultConfig>(&body) {
            Ok(cfg) => match cfg.validate() {
                Ok(()) => {
                    inner.rng = cfg.seed.unwrap_or_else(time_seed);
                    inner.status.config = cfg;
                    eprintln!("fault config: {:?}", inner.status.config);
                    json(StatusCode::OK, &inner.status)
                }
                Err(e) => json(StatusCode::BAD_REQUEST, &e.to_string()),
            },
            Err(e) => json(StatusCode::BAD_REQUEST, &e.to_string()),
        },
        (Method::DELETE, "/faults") => {
            inner.status = FaultStatus::default();
            eprintln!("fault config cleared");
            json(StatusCode::OK, &inner.status)
        }
        _ => json(StatusCode::NOT_FOUND, &"not found"),
    }
}

async fn serve_on<F, Fut>(listener: tokio::net::TcpListener, state: Arc<State>, handler: F)
where
    F: Fn(Arc<State>, Request<Incoming>) -> Fut + Copy + Send + Sync + 'static,
    Fut: std::future::Future<Output = Response<Full<Bytes>>> + Send + 'static,
{
    loop {
        let Ok((tcp, _)) = listener.accept().await else {
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        let state = state.clone();
        tokio::spawn(async move {
            let svc = service_fn(move |req| {
                let state = state.clone();
                async move { Ok::<_, std::convert::Infallible>(handler(state, req).await) }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(tcp), svc)
                .await;
        });
    }
}

/// Runs the proxy (AWS traffic on `listen`, control API on `control`) until the process is killed.
pub async fn serve(listen: SocketAddr, control: SocketAddr, upstream: String) -> Result<()> {
    let aws = tokio::net::TcpListener::bind(listen)
        .await
        .ctx(|| format!("binding {listen}"))?;
    let ctl = tokio::net::TcpListener::bind(control)
        .await
        .ctx(|| format!("binding {control}"))?;
    let state = Arc::new(State {
        upstream,
        client: Client::builder(TokioExecutor::new())
            .pool_idle_timeout(Duration::from_secs(5))
            .build_http(),
        inner: Mutex::new(Inner {
            status: FaultStatus::default(),
            rng: time_seed(),
        }),
    });
    eprintln!(
        "aws proxy on http://{listen} -> http://{}, control on http://{control}",
        state.upstream
    );
    tokio::spawn(serve_on(ctl, state.clone(), handle_control));
    serve_on(aws, state, handle_aws).await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inner(cfg: FaultConfig) -> Inner {
        Inner {
            status: FaultStatus {
                config: cfg,
                stats: Default::default(),
            },
            rng: 42,
        }
    }

    #[test]
    fn deterministic_counters_then_rates() {
        let mut i = inner(FaultConfig {
            throttle_next: 1,
            server_error_next: 1,
            server_error_status: 503,
            ..Default::default()
        });
        assert_eq!(decide(&mut i, "iam", "AK"), Decision::Throttle);
        assert_eq!(decide(&mut i, "iam", "AK"), Decision::ServerError(503));
        assert_eq!(decide(&mut i, "iam", "AK"), Decision::Forward);
    }

    #[test]
    fn filters_and_rates() {
        let mut i = inner(FaultConfig {
            throttle_rate: 0.5,
            services: vec!["iam".to_owned()],
            access_key_ids: vec!["AKIASBXTEST".to_owned()],
            ..Default::default()
        });
        assert_eq!(decide(&mut i, "eks", "AKIASBXTEST"), Decision::Forward);
        assert_eq!(decide(&mut i, "iam", "OTHER"), Decision::Forward);
        let throttled = (0..1000)
            .filter(|_| decide(&mut i, "iam", "AKIASBXTEST") == Decision::Throttle)
            .count();
        assert!((400..600).contains(&throttled), "{throttled}");
    }

    #[test]
    fn scope_from_authorization_header() {
        let mut h = HeaderMap::new();
        h.insert(
            http::header::AUTHORIZATION,
            http::HeaderValue::from_static(
                "AWS4-HMAC-SHA256 Credential=AKID/20261123/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=abc",
            ),
        );
        assert_eq!(credential_scope(&h, "", b""), ("iam".to_owned(), "AKID".to_owned()));
    }
}
