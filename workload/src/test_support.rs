//! Helpers for unit tests: a scripted HTTP server and the real app on an ephemeral port.

use crate::app::app;
use crate::server::{ShutdownTimings, serve};
use crate::settings::Settings;
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
                    let mut head = Vec::new();
                    let mut buf = [0u8; 1024];
                    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                        match stream.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => head.extend_from_slice(&buf[..n]),
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

/// Settings from `vars` (test defaults otherwise).
pub fn settings(vars: &[(&str, &str)]) -> Settings {
    Settings::from_vars(vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))).expect("test settings")
}

/// Serves the real app for `state` on 127.0.0.1 and returns its address.
pub async fn serve_state(state: AppState) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let lifecycle = state.lifecycle.clone();
    let limits = state.settings.limits.clone();
    let router = app(state);
    tokio::spawn(async move {
        let timings = ShutdownTimings {
            drain_delay: Duration::ZERO,
            shutdown_timeout: Duration::from_secs(1),
        };
        serve(listener, router, lifecycle, &limits, timings, std::future::pending()).await
    });
    addr
}
