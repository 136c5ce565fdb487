//! A minimal plain-HTTP client (hyper) for talking to loopback components: health probes of etcd and moto,
//! the webhook's STS call to moto, and the fault proxy's control API. TLS endpoints go through `kube`'s
//! client instead, which already knows how to trust the sandbox CA.

use std::time::Duration;

use bytes::Bytes;
use http::{Method, Request, StatusCode};
use http_body_util::{BodyExt as _, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

use super::error::{Result, SandboxError};

/// A response: status, headers and the whole body.
#[derive(Debug)]
pub struct Response {
    /// HTTP status.
    pub status: StatusCode,
    /// Response headers.
    pub headers: http::HeaderMap,
    /// Body bytes.
    pub body: Bytes,
}

impl Response {
    /// Body as (lossy) UTF-8.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends one request with a timeout and reads the whole response.
pub async fn send(
    method: Method,
    url: &str,
    headers: &[(&str, &str)],
    body: Vec<u8>,
    timeout: Duration,
) -> Result<Response> {
    let fail = |message: String| SandboxError::Http {
        method: method.to_string(),
        url: url.to_owned(),
        message,
    };
    let client: Client<HttpConnector, Full<Bytes>> = Client::builder(TokioExecutor::new()).build_http();
    let mut req = Request::builder().method(method.clone()).uri(url);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let req = req
        .body(Full::new(Bytes::from(body)))
        .map_err(|e| fail(e.to_string()))?;
    let fut = async {
        let resp = client.request(req).await.map_err(|e| fail(e.to_string()))?;
        let (parts, body) = resp.into_parts();
        let body = body.collect().await.map_err(|e| fail(e.to_string()))?.to_bytes();
        Ok(Response {
            status: parts.status,
            headers: parts.headers,
            body,
        })
    };
    tokio::time::timeout(timeout, fut)
        .await
        .map_err(|_| fail(format!("timed out after {timeout:?}")))?
}

/// GET with a 5 s timeout.
pub async fn get(url: &str) -> Result<Response> {
    send(Method::GET, url, &[], Vec::new(), Duration::from_secs(5)).await
}
