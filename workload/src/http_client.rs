//! The one outgoing HTTP(S) client, shared by dependency checks and `hub-workload check`.
//!
//! It is built on first use, not at start-up: loading the system trust store takes milliseconds, and a
//! workload with no HTTP dependencies should not pay that before its first `/ready`. Every call has a
//! deadline and a body cap, so a misbehaving peer costs bounded time and memory.

use bytes::Bytes;
use http::{Request, StatusCode, Uri};
use http_body_util::{BodyExt, Empty, Limited};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use std::sync::OnceLock;
use std::time::Duration;

type Inner = Client<HttpsConnector<HttpConnector>, Empty<Bytes>>;

/// Why a GET did not produce a status and a body.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// No response (headers and body) within the deadline.
    #[error("timed out after {0:?}")]
    Timeout(Duration),
    /// Connecting, TLS, or the HTTP exchange failed.
    #[error("{0}")]
    Transport(String),
    /// The body is larger than the caller allows.
    #[error("response body larger than {0} bytes")]
    BodyTooLarge(usize),
    /// The request could not be built (for example an invalid header value).
    #[error("invalid request: {0}")]
    Request(#[from] http::Error),
}

/// A completed response: status and the whole (capped) body.
#[derive(Debug)]
pub struct Fetched {
    pub status: StatusCode,
    pub body: Bytes,
}

fn client() -> &'static Inner {
    static CLIENT: OnceLock<Inner> = OnceLock::new();
    CLIENT.get_or_init(|| {
        let builder = hyper_rustls::HttpsConnectorBuilder::new();
        // Without a readable trust store (a scratch image without CA files) https targets fail with a clear
        // TLS error, and plain http still works.
        let connector = match builder.with_native_roots() {
            Ok(builder) => builder.https_or_http().enable_http1().build(),
            Err(error) => {
                tracing::warn!(%error, "no system trust store; https requests will fail");
                let empty = rustls::ClientConfig::builder()
                    .with_root_certificates(rustls::RootCertStore::empty())
                    .with_no_client_auth();
                hyper_rustls::HttpsConnectorBuilder::new()
                    .with_tls_config(empty)
                    .https_or_http()
                    .enable_http1()
                    .build()
            }
        };
        Client::builder(TokioExecutor::new())
            .pool_idle_timeout(Duration::from_secs(30))
            .build(connector)
    })
}

/// GETs `uri` with `headers`, returning status and body, all within `timeout`.
pub async fn get(
    uri: &Uri,
    headers: &[(&str, &str)],
    timeout: Duration,
    max_body: usize,
) -> Result<Fetched, FetchError> {
    let mut request = Request::get(uri.clone());
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let request = request.body(Empty::new())?;
    let exchange = async {
        let response = client()
            .request(request)
            .await
            .map_err(|error| FetchError::Transport(error_chain(&error)))?;
        let status = response.status();
        let body = Limited::new(response.into_body(), max_body)
            .collect()
            .await
            .map_err(|error| {
                if error.is::<http_body_util::LengthLimitError>() {
                    FetchError::BodyTooLarge(max_body)
                } else {
                    FetchError::Transport(error.to_string())
                }
            })?
            .to_bytes();
        Ok(Fetched { status, body })
    };
    tokio::time::timeout(timeout, exchange)
        .await
        .map_err(|_| FetchError::Timeout(timeout))?
}

/// Joins an error and its sources: hyper's top-level messages ("client error (Connect)") say little alone.
pub fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}
