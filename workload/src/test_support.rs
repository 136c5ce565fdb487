//! Helpers for unit tests: a scripted HTTP server and the real app on an ephemeral port.

use crate::app::{admin, app, probes_only};
use crate::server::{Routes, ShutdownTimings, serve};
use crate::settings::{Limits, Settings};
use crate::state::AppState;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Answers each connection's first request with the next status of a script (the last one repeats).
pub struct StaticHttp {
    pub addr: SocketAddr,
    pub hits: Arc<AtomicUsize>,
}

impl StaticHttp {
    pub async fn start(status: u16) -> Self {
        Self::script(vec![(status, "{}".to_owned())]).await
    }

    pub async fn script(responses: Vec<(u16, String)>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let hits = Arc::new(AtomicUsize::new(0));
        let counter = hits.clone();
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let n = counter.fetch_add(1, Ordering::SeqCst);
                let (status, body) = responses[n.min(responses.len() - 1)].clone();
                tokio::spawn(async move {
                    let mut request = Vec::new();
                    let mut buf = [0u8; 1024];
                    // The head, then as much body as it announces: closing with unread bytes would reset
                    // the connection before the client reads the answer.
                    while !complete(&request) {
                        match stream.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => request.extend_from_slice(&buf[..n]),
                        }
                    }
                    let response = format!(
                        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = stream.write_all(response.as_bytes()).await;
                });
            }
        });
        Self { addr, hits }
    }
}

/// Whether `bytes` hold a whole request: the head and `content-length` bytes of body.
fn complete(bytes: &[u8]) -> bool {
    let Some(end) = bytes.windows(4).position(|w| w == b"\r\n\r\n") else {
        return false;
    };
    let head = String::from_utf8_lossy(&bytes[..end]).to_ascii_lowercase();
    let length = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|value| value.trim().parse::<usize>().ok())
        .unwrap_or(0);
    bytes.len() >= end + 4 + length
}

/// Settings from `vars` (test defaults otherwise).
pub fn settings(vars: &[(&str, &str)]) -> Settings {
    Settings::from_vars(vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))).expect("test settings")
}

/// Where [`serve_state`] listens.
pub struct Served {
    pub app: SocketAddr,
    pub admin: SocketAddr,
}

/// Serves the real app and admin ports for `state` on 127.0.0.1.
pub async fn serve_state(state: AppState) -> Served {
    let app_routes = Routes {
        app: app(state.clone()),
        reserve: Some(probes_only(state.clone())),
    };
    let admin_routes = Routes {
        app: admin(state.clone()),
        reserve: None,
    };
    Served {
        app: spawn_listener(&state, app_routes, state.settings.limits.clone()).await,
        admin: spawn_listener(&state, admin_routes, state.settings.admin_limits()).await,
    }
}

async fn spawn_listener(state: &AppState, routes: Routes, limits: Limits) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let lifecycle = state.lifecycle.clone();
    tokio::spawn(async move {
        let timings = ShutdownTimings {
            drain_delay: Duration::ZERO,
            shutdown_timeout: Duration::from_secs(1),
        };
        serve(listener, routes, lifecycle, &limits, timings, std::future::pending()).await
    });
    addr
}
