//! The accept loop: connection limits, HTTP/1 parsing limits, and graceful shutdown.
//!
//! `axum::serve` hides hyper's connection builder, and with it the header read timeout and the header size
//! limit, so connections are served here directly. Shutdown follows what Kubernetes needs. When draining
//! starts (SIGTERM), readiness fails at once but connections are still accepted for `drain_delay`, while
//! endpoints controllers and load balancers stop routing to the pod. Then the listener closes, idle
//! keep-alive connections are closed, and in-flight requests get up to `shutdown_timeout` to finish.

use crate::lifecycle::Lifecycle;
use crate::settings::Limits;
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;

/// Timings of the shutdown sequence.
#[derive(Debug, Clone)]
pub struct ShutdownTimings {
    /// Keep accepting for this long after draining starts.
    pub drain_delay: Duration,
    /// Then wait at most this long for in-flight requests.
    pub shutdown_timeout: Duration,
}

/// How serving ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Every connection finished before the deadline.
    Drained,
    /// The deadline passed with connections still open; they are dropped.
    DeadlineExceeded,
}

/// Serves `app` on `listener` until draining has started and in-flight work is done (or the deadline
/// passed). `hurry` cuts the drain delay short (a second signal).
pub async fn serve(
    listener: TcpListener,
    app: Router,
    lifecycle: Arc<Lifecycle>,
    limits: &Limits,
    timings: ShutdownTimings,
    hurry: impl Future<Output = ()>,
) -> Outcome {
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .max_header_size(limits.max_header_bytes)
        .max_buf_size(limits.max_header_bytes.max(8192) + 8192)
        .keep_alive(true)
        // Probe responses are a few hundred bytes: copying headers and body into one buffer and sending it
        // with one `write` is cheaper than a `writev` of separate slices.
        .writev(false);
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let graceful = GracefulShutdown::new();

    let stop_accepting = async {
        lifecycle.drain_requested().await;
        tracing::info!(
            drain_delay_ms = timings.drain_delay.as_millis() as u64,
            "draining: readiness fails"
        );
        tokio::select! {
            () = tokio::time::sleep(timings.drain_delay) => {}
            () = hurry => tracing::info!("second signal: ending the drain delay early"),
        }
    };
    tokio::pin!(stop_accepting);

    loop {
        let slot = tokio::select! {
            biased;
            () = &mut stop_accepting => break,
            slot = slots.clone().acquire_owned() => match slot {
                Ok(slot) => slot,
                Err(_) => break, // the semaphore is never closed
            },
        };
        let (stream, peer) = tokio::select! {
            biased;
            () = &mut stop_accepting => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Typically EMFILE: back off instead of spinning; the listener stays open.
                    tracing::warn!(%error, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let service = hyper::service::service_fn(move |request: hyper::Request<Incoming>| app.clone().oneshot(request));
        let connection = graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(%peer, %error, "connection ended with an error");
            }
            drop(slot);
        });
    }

    drop(listener);
    tracing::info!(
        shutdown_timeout_ms = timings.shutdown_timeout.as_millis() as u64,
        "listener closed; waiting for in-flight requests"
    );
    tokio::select! {
        () = graceful.shutdown() => Outcome::Drained,
        () = tokio::time::sleep(timings.shutdown_timeout) => Outcome::DeadlineExceeded,
    }
}
