//! The accept loop: connection limits, HTTP/1 parsing limits, and graceful shutdown.
//!
//! Idle sockets hold a connection slot until the header timeout closes them, so a flood of them could fill
//! the cap and time out the kubelet's probes, which would restart a healthy pod. A few slots are therefore
//! reserved beyond the cap: a connection that lands in one is served by the probes-only router, must send
//! its request within a second, and is closed after one answer.
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
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
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

/// The routers one listener serves.
#[derive(Debug, Clone)]
pub struct Routes {
    /// Served on ordinary connections (up to `Limits::max_connections`).
    pub app: Router,
    /// Served on the `Limits::reserved_connections` beyond them; `None` reserves nothing.
    pub reserve: Option<Router>,
}

/// Longest wait for a request head on a reserved connection: a probe sends its request at once.
pub const RESERVED_HEADER_TIMEOUT: Duration = Duration::from_secs(1);

/// A connection slot: ordinary, or one of those reserved for probes.
enum Slot {
    General(OwnedSemaphorePermit),
    Reserved(OwnedSemaphorePermit),
}

/// Serves `routes` on `listener` until draining has started and in-flight work is done (or the deadline
/// passed). `hurry` cuts the drain delay short (a second signal).
pub async fn serve(
    listener: TcpListener,
    routes: Routes,
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
    // Reserved connections serve one request, and must send it quickly.
    let mut reserved_builder = builder.clone();
    reserved_builder
        .header_read_timeout(limits.header_timeout.min(RESERVED_HEADER_TIMEOUT))
        .keep_alive(false);
    let general = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let reserved_count = if routes.reserve.is_some() {
        limits.reserved_connections
    } else {
        0
    };
    let reserved = Arc::new(Semaphore::new(reserved_count));
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
            slot = any_slot(&general, &reserved) => match slot {
                Some(slot) => slot,
                None => break, // the semaphores are never closed
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
        // An ordinary slot may have freed while this one waited for a client.
        let slot = match slot {
            Slot::Reserved(permit) => match general.clone().try_acquire_owned() {
                Ok(general) => {
                    drop(permit);
                    Slot::General(general)
                }
                Err(_) => Slot::Reserved(permit),
            },
            general => general,
        };
        let _ = stream.set_nodelay(true);
        let (router, builder, permit) = match (slot, &routes.reserve) {
            (Slot::Reserved(permit), Some(reserve)) => (reserve.clone(), &reserved_builder, permit),
            (Slot::General(permit) | Slot::Reserved(permit), _) => (routes.app.clone(), &builder, permit),
        };
        let service =
            hyper::service::service_fn(move |request: hyper::Request<Incoming>| router.clone().oneshot(request));
        let connection = graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(%peer, %error, "connection ended with an error");
            }
            drop(permit);
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

/// Waits for an ordinary slot, or a reserved one when all ordinary slots are taken.
async fn any_slot(general: &Arc<Semaphore>, reserved: &Arc<Semaphore>) -> Option<Slot> {
    tokio::select! {
        biased;
        Ok(permit) = general.clone().acquire_owned() => Some(Slot::General(permit)),
        Ok(permit) = reserved.clone().acquire_owned() => Some(Slot::Reserved(permit)),
        else => None,
    }
}
