//! The EKS token webhook: kube-apiserver's `--authentication-token-webhook-config-file` points here, so a
//! `k8s-aws-v1.` bearer token is authenticated exactly as on EKS, end to end:
//!
//! 1. decode the presigned STS GetCallerIdentity URL and check it statically ([`token`]): prefix, STS host,
//!    path, allowed parameters, action/version, `x-k8s-aws-id` among the signed headers, X-Amz-Expires in
//!    0..=900, X-Amz-Date not older than 15 minutes (nor in the future), credential scope service `sts`;
//! 2. verify the SigV4 signature ([`sigv4`]) with the caller's secret (moto knows it: the sandbox's dummy
//!    key, IAM user keys, STS session keys) and `x-k8s-aws-id` = the sandbox cluster name – moto does not
//!    check signatures, real STS does, and that is what rejects a token minted for another cluster;
//! 3. call GetCallerIdentity on moto with the presigned query and the cluster header ([`identity`]);
//! 4. map the caller ARN to a Kubernetes user (explicit mappings, else sandbox-account callers are
//!    `system:masters`), answering a `TokenReview`.
//!
//! A test-only second cluster name ([`ShortLived`]) shares the API server: its tokens are accepted for a
//! shorter time, so a test can outlive a token without shortening the 15 minutes of every other test.
//!
//! Not checked: session-token validity/expiry of STS session credentials (moto does not model it), and
//! the signature of tokens whose access key moto does not know (those are rejected outright).

pub mod identity;
pub mod sigv4;
pub mod token;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::{Method, Request, Response, StatusCode};
use http_body_util::{BodyExt as _, Full};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::error::{IoContext, Result, SandboxError};
use identity::{Mapping, UserInfo};

/// Configuration file of the webhook process (`config/token-webhook.json`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WebhookConfig {
    /// `127.0.0.1:<port>`.
    pub listen: String,
    /// Serving certificate (signed by the sandbox CA).
    pub cert_file: PathBuf,
    /// Serving key.
    pub key_file: PathBuf,
    /// Cluster name tokens must be signed for (`x-k8s-aws-id`).
    pub cluster_id: String,
    /// Other names of the same cluster whose tokens live shorter than EKS's 15 minutes (test-only).
    #[serde(default)]
    pub short_lived: Vec<ShortLived>,
    /// Account whose callers are cluster admins.
    pub account_id: String,
    /// moto, direct (not through the fault proxy).
    pub moto_url: String,
    /// Loopback hosts (`127.0.0.1:<port>`) accepted as STS hosts, also over plain http: tokens minted
    /// by an SDK configured with `AWS_ENDPOINT_URL` are signed for the sandbox's endpoint.
    pub local_sts_hosts: Vec<String>,
    /// Explicit ARN → user mappings.
    #[serde(default)]
    pub mappings: Vec<Mapping>,
}

/// A cluster name whose tokens the webhook accepts for `lifetime_secs` after signing instead of 15 minutes,
/// so a test can run past a token's life in a minute.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ShortLived {
    /// The cluster name (`x-k8s-aws-id`).
    pub cluster_id: String,
    /// Seconds a token is accepted after its X-Amz-Date.
    pub lifetime_secs: u64,
}

impl WebhookConfig {
    /// Reads the JSON config.
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).ctx(|| format!("reading {}", path.display()))?;
        serde_json::from_str(&text).map_err(|e| SandboxError::json(format!("parsing {}", path.display()), e))
    }

    /// Writes the JSON config.
    pub fn save(&self, path: &Path) -> Result<()> {
        let text =
            serde_json::to_string_pretty(self).map_err(|e| SandboxError::json("serialising webhook config", e))?;
        std::fs::write(path, text).ctx(|| format!("writing {}", path.display()))
    }
}

async fn lookup_secret(moto_url: &str, access_key_id: &str) -> Result<String, String> {
    let url = format!(
        "{}/_hub/secret?AccessKeyId={}",
        moto_url.trim_end_matches('/'),
        sigv4::uri_encode(access_key_id)
    );
    let resp = super::httpc::get(&url)
        .await
        .map_err(|e| format!("asking moto for the key: {e}"))?;
    if resp.status == StatusCode::NOT_FOUND {
        return Err(format!(
            "InvalidClientTokenId: the access key {access_key_id} is not known to the sandbox"
        ));
    }
    if !resp.status.is_success() {
        return Err(format!("moto key lookup returned {}", resp.status));
    }
    let v: serde_json::Value = serde_json::from_slice(&resp.body).map_err(|e| e.to_string())?;
    v["SecretAccessKey"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| "moto key lookup returned no secret".to_owned())
}

/// Authenticates one bearer token (steps 1–4 of the module docs).
pub async fn authenticate(cfg: &WebhookConfig, bearer: &str, now: SystemTime) -> Result<UserInfo, String> {
    let presigned = token::decode(
        bearer,
        now,
        |h| token::is_sts_host(h) || cfg.local_sts_hosts.iter().any(|l| l == h),
        &cfg.local_sts_hosts,
    )
    .map_err(|e| e.to_string())?;
    let secret = lookup_secret(&cfg.moto_url, &presigned.access_key_id).await?;
    // The signed x-k8s-aws-id names the cluster; only the signature tells which, so try each name.
    let cluster_id = match sigv4::verify(&presigned, &cfg.cluster_id, &secret) {
        Ok(()) => &cfg.cluster_id,
        Err(e) => {
            let short = cfg
                .short_lived
                .iter()
                .find(|s| sigv4::verify(&presigned, &s.cluster_id, &secret).is_ok())
                .ok_or_else(|| e.to_string())?;
            let lifetime = Duration::from_secs(short.lifetime_secs);
            if token::is_older_than(&presigned, lifetime, now) {
                return Err(format!(
                    "X-Amz-Date parameter is expired ({} second expiration for cluster {}) {}",
                    short.lifetime_secs, short.cluster_id, presigned.amz_date
                ));
            }
            &short.cluster_id
        }
    };
    let caller = identity::get_caller_identity(&cfg.moto_url, &presigned, cluster_id).await?;
    identity::map_user(&caller, &presigned.access_key_id, &cfg.account_id, &cfg.mappings)
}

/// Builds the TokenReview response body.
fn review_response(
    api_version: &str,
    audiences: &serde_json::Value,
    result: &Result<UserInfo, String>,
) -> serde_json::Value {
    let status = match result {
        Ok(user) => json!({
            "authenticated": true,
            "user": user,
            "audiences": audiences,
        }),
        Err(e) => json!({ "authenticated": false, "error": e }),
    };
    json!({ "apiVersion": api_version, "kind": "TokenReview", "status": status })
}

fn respond(status: StatusCode, content_type: &str, body: Vec<u8>) -> Response<Full<Bytes>> {
    let mut resp = Response::new(Full::new(Bytes::from(body)));
    *resp.status_mut() = status;
    if let Ok(v) = http::HeaderValue::from_str(content_type) {
        resp.headers_mut().insert(http::header::CONTENT_TYPE, v);
    }
    resp
}

async fn handle(cfg: Arc<WebhookConfig>, req: Request<Incoming>) -> Response<Full<Bytes>> {
    match (req.method(), req.uri().path()) {
        (&Method::GET, "/healthz") => respond(StatusCode::OK, "text/plain", b"ok".to_vec()),
        (&Method::POST, "/authenticate") => {
            let body = match req.into_body().collect().await {
                Ok(b) => b.to_bytes(),
                Err(e) => {
                    return respond(StatusCode::BAD_REQUEST, "text/plain", e.to_string().into_bytes());
                }
            };
            let review: serde_json::Value = match serde_json::from_slice(&body) {
                Ok(v) => v,
                Err(e) => {
                    return respond(StatusCode::BAD_REQUEST, "text/plain", e.to_string().into_bytes());
                }
            };
            let api_version = review["apiVersion"].as_str().unwrap_or("authentication.k8s.io/v1");
            let bearer = review["spec"]["token"].as_str().unwrap_or_default();
            let result = authenticate(&cfg, bearer, SystemTime::now()).await;
            match &result {
                Ok(u) => eprintln!("{} accepted: user={} groups={:?}", stamp(), u.username, u.groups),
                Err(e) => eprintln!("{} rejected: {e}", stamp()),
            }
            let out = review_response(api_version, &review["spec"]["audiences"], &result);
            respond(StatusCode::OK, "application/json", out.to_string().into_bytes())
        }
        _ => respond(StatusCode::NOT_FOUND, "text/plain", b"not found".to_vec()),
    }
}

fn stamp() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

fn tls_config(cfg: &WebhookConfig) -> Result<rustls::ServerConfig> {
    use rustls_pki_types::pem::PemObject as _;
    use rustls_pki_types::{CertificateDer, PrivateKeyDer};
    let certs = CertificateDer::pem_file_iter(&cfg.cert_file)
        .and_then(|it| it.collect::<Result<Vec<_>, _>>())
        .map_err(|e| SandboxError::Invalid(format!("reading {}: {e}", cfg.cert_file.display())))?;
    let key = PrivateKeyDer::from_pem_file(&cfg.key_file)
        .map_err(|e| SandboxError::Invalid(format!("reading {}: {e}", cfg.key_file.display())))?;
    let mut tls = rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::aws_lc_rs::default_provider()))
        .with_safe_default_protocol_versions()
        .and_then(|b| b.with_no_client_auth().with_single_cert(certs, key))
        .map_err(|e| SandboxError::Invalid(format!("webhook TLS config: {e}")))?;
    tls.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(tls)
}

/// Runs the webhook until the process is killed.
pub async fn serve(cfg: WebhookConfig) -> Result<()> {
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(tls_config(&cfg)?));
    let listener = tokio::net::TcpListener::bind(&cfg.listen)
        .await
        .ctx(|| format!("binding {}", cfg.listen))?;
    eprintln!(
        "{} token webhook listening on https://{} for cluster {}",
        stamp(),
        cfg.listen,
        cfg.cluster_id
    );
    let cfg = Arc::new(cfg);
    loop {
        let (tcp, _) = match listener.accept().await {
            Ok(c) => c,
            Err(e) => {
                eprintln!("accept failed: {e}");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let acceptor = acceptor.clone();
        let cfg = cfg.clone();
        tokio::spawn(async move {
            let Ok(tls) = acceptor.accept(tcp).await else {
                return;
            };
            let svc = service_fn(move |req| {
                let cfg = cfg.clone();
                async move { Ok::<_, std::convert::Infallible>(handle(cfg, req).await) }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(tls), svc)
                .await;
        });
    }
}
