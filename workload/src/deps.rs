//! Declared dependencies (`HUB_DEPENDS_ON`) and the background task that checks them.
//!
//! Readiness must say whether the pod can do its job, and the kubelet asks every few seconds on every
//! replica. Dialling the database on each probe would multiply load on the dependency and make probe latency
//! depend on it, so checks run on their own schedule, each bounded by a timeout, and `/ready` only reads the
//! last result.
//!
//! A target's `Display` form is the only one that leaves the process (`/ready`, the `target` label of
//! `/metrics`, logs): credentials, query and fragment values, and token-like path segments are masked, since
//! `/ready` answers anyone who can reach the pod.

use crate::configs::redact::mask_urls;
use crate::http_client;
use crate::lifecycle::Lifecycle;
use http::Uri;
use serde::Serialize;
use std::str::FromStr;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::{Duration, Instant};
use tokio::net::TcpStream;

/// Something the workload needs in order to be ready.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dependency {
    /// `tcp://host:port`: ready when a TCP connection opens.
    Tcp { host: String, port: u16 },
    /// `http://…` or `https://…`: ready when a GET answers with a status below 500.
    Http(Uri),
}

/// Why an entry of `HUB_DEPENDS_ON` is not a dependency.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ParseError {
    /// The entry has no supported scheme.
    #[error("expected tcp://host:port, http://… or https://…")]
    Scheme,
    /// A `tcp://` entry lacks a host or a numeric port.
    #[error("expected tcp://host:port with a numeric port")]
    HostPort,
    /// A `tcp://` entry has a user or password, which a TCP check cannot use.
    #[error("tcp:// entries take no credentials")]
    Credentials,
    /// The URL does not parse.
    #[error("invalid URL: {0}")]
    Url(String),
}

impl FromStr for Dependency {
    type Err = ParseError;

    fn from_str(text: &str) -> Result<Self, ParseError> {
        if let Some(rest) = text.strip_prefix("tcp://") {
            let rest = rest.trim_end_matches('/');
            if rest.contains('@') {
                return Err(ParseError::Credentials);
            }
            let (host, port) = rest.rsplit_once(':').ok_or(ParseError::HostPort)?;
            let host = host.trim_start_matches('[').trim_end_matches(']');
            let port = port.parse().map_err(|_| ParseError::HostPort)?;
            if host.is_empty() {
                return Err(ParseError::HostPort);
            }
            return Ok(Self::Tcp {
                host: host.to_owned(),
                port,
            });
        }
        if text.starts_with("http://") || text.starts_with("https://") {
            let uri: Uri = text
                .parse()
                .map_err(|e: http::uri::InvalidUri| ParseError::Url(e.to_string()))?;
            if uri.host().is_none() {
                return Err(ParseError::Url("no host".into()));
            }
            return Ok(Self::Http(uri));
        }
        Err(ParseError::Scheme)
    }
}

impl std::fmt::Display for Dependency {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Tcp { host, port } if host.contains(':') => write!(f, "tcp://[{host}]:{port}"),
            Self::Tcp { host, port } => write!(f, "tcp://{host}:{port}"),
            Self::Http(uri) => f.write_str(&mask_urls(&uri.to_string())),
        }
    }
}

impl Dependency {
    /// One check, bounded by `timeout`; `Err` carries a short reason.
    pub async fn check(&self, timeout: Duration) -> Result<(), String> {
        match self {
            Self::Tcp { host, port } => {
                match tokio::time::timeout(timeout, TcpStream::connect((host.as_str(), *port))).await {
                    Ok(Ok(_stream)) => Ok(()),
                    Ok(Err(error)) => Err(error.to_string()),
                    Err(_) => Err(format!("timed out after {timeout:?}")),
                }
            }
            Self::Http(uri) => {
                let fetched = http_client::get(uri, &[], timeout, 64 * 1024)
                    .await
                    .map_err(|e| e.to_string())?;
                if fetched.status.is_server_error() {
                    Err(format!("HTTP {}", fetched.status.as_u16()))
                } else {
                    Ok(())
                }
            }
        }
    }
}

/// The last result of checking one dependency.
#[derive(Debug, Clone, Serialize)]
pub struct DependencyStatus {
    pub target: String,
    pub ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Milliseconds the check took.
    pub latency_ms: f64,
}

/// All declared dependencies and their cached status.
#[derive(Debug)]
pub struct Dependencies {
    targets: Vec<Dependency>,
    timeout: Duration,
    last: RwLock<Arc<Vec<DependencyStatus>>>,
}

impl Dependencies {
    pub fn new(targets: Vec<Dependency>, timeout: Duration) -> Self {
        let unknown = targets
            .iter()
            .map(|target| DependencyStatus {
                target: target.to_string(),
                ok: false,
                error: Some("not checked yet".into()),
                latency_ms: 0.0,
            })
            .collect();
        Self {
            targets,
            timeout,
            last: RwLock::new(Arc::new(unknown)),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.targets.is_empty()
    }

    /// The statuses from the last round (cheap: an `Arc` clone).
    pub fn snapshot(&self) -> Arc<Vec<DependencyStatus>> {
        self.last.read().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Whether every dependency passed its last check (true when none are declared).
    pub fn all_ok(&self) -> bool {
        self.snapshot().iter().all(|status| status.ok)
    }

    /// Checks every dependency concurrently and stores the results.
    pub async fn check_all(&self) {
        let mut round = tokio::task::JoinSet::new();
        for (index, target) in self.targets.iter().cloned().enumerate() {
            let timeout = self.timeout;
            round.spawn(async move {
                let started = Instant::now();
                let result = target.check(timeout).await;
                let status = DependencyStatus {
                    target: target.to_string(),
                    ok: result.is_ok(),
                    error: result.err(),
                    latency_ms: started.elapsed().as_secs_f64() * 1000.0,
                };
                (index, status)
            });
        }
        let mut statuses = self.snapshot().as_ref().clone();
        while let Some(joined) = round.join_next().await {
            match joined {
                Ok((index, status)) => {
                    if status.ok != statuses[index].ok {
                        tracing::info!(target: "dependency", dependency = %status.target, ok = status.ok,
                            error = status.error.as_deref().unwrap_or(""), "dependency status changed");
                    }
                    statuses[index] = status;
                }
                Err(error) => tracing::error!(%error, "dependency check task failed"),
            }
        }
        *self.last.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(statuses);
    }

    /// Runs a check round now, marks start-up complete, then re-checks every `interval` until draining.
    pub fn spawn_checker(
        self: Arc<Self>,
        interval: Duration,
        lifecycle: Arc<Lifecycle>,
    ) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            loop {
                self.check_all().await;
                lifecycle.mark_started();
                if lifecycle.is_draining() {
                    return;
                }
                tokio::time::sleep(interval).await;
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_supported_forms() {
        assert_eq!(
            "tcp://db:5432".parse(),
            Ok(Dependency::Tcp {
                host: "db".into(),
                port: 5432
            })
        );
        assert_eq!(
            "tcp://[::1]:6379".parse::<Dependency>().map(|d| d.to_string()),
            Ok("tcp://[::1]:6379".into())
        );
        assert!(matches!("https://api.example/health".parse(), Ok(Dependency::Http(_))));
        assert_eq!("db:5432".parse::<Dependency>(), Err(ParseError::Scheme));
        assert_eq!("tcp://db".parse::<Dependency>(), Err(ParseError::HostPort));
        assert_eq!("tcp://:80".parse::<Dependency>(), Err(ParseError::HostPort));
        assert_eq!("tcp://db:http".parse::<Dependency>(), Err(ParseError::HostPort));
        assert_eq!("tcp://u:pw@db:5432".parse::<Dependency>(), Err(ParseError::Credentials));
    }

    #[test]
    fn display_form_hides_credentials_and_query() {
        let shown = |text: &str| text.parse::<Dependency>().expect("dependency").to_string();
        assert_eq!(
            shown("https://svc:hunter2@api.internal:8443/health?token=t0p&verbose=1"),
            "https://svc:[redacted]@api.internal:8443/health?token=[redacted]&verbose=[redacted]"
        );
        assert_eq!(shown("http://api.internal/health"), "http://api.internal/health");
        assert_eq!(shown("tcp://db:5432"), "tcp://db:5432");
    }

    #[tokio::test]
    async fn checks_open_and_closed_ports() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let open = listener.local_addr().expect("addr").port();
        // A port that was just free: bind and drop.
        let closed = {
            let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
            l.local_addr().expect("addr").port()
        };
        let deps = Dependencies::new(
            vec![
                format!("tcp://127.0.0.1:{open}").parse().expect("dep"),
                format!("tcp://127.0.0.1:{closed}").parse().expect("dep"),
            ],
            Duration::from_secs(1),
        );
        assert!(!deps.all_ok(), "unchecked dependencies are not ok");
        deps.check_all().await;
        let snapshot = deps.snapshot();
        assert!(snapshot[0].ok, "{:?}", snapshot[0]);
        assert!(!snapshot[1].ok && snapshot[1].error.is_some(), "{:?}", snapshot[1]);
        assert!(!deps.all_ok());
    }

    #[tokio::test]
    async fn http_dependency_fails_on_5xx_and_passes_on_4xx() {
        let server = crate::test_support::StaticHttp::start(503).await;
        let dep: Dependency = format!("http://{}/", server.addr).parse().expect("dep");
        let err = dep.check(Duration::from_secs(2)).await.expect_err("503 is down");
        assert!(err.contains("503"), "{err}");
        let server = crate::test_support::StaticHttp::start(404).await;
        let dep: Dependency = format!("http://{}/", server.addr).parse().expect("dep");
        dep.check(Duration::from_secs(2)).await.expect("404 is up");
    }
}
