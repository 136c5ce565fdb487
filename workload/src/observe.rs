//! Per-request bookkeeping: request id, metrics, and one JSON log line.
//!
//! Installed with `Router::layer`, which wraps each route after matching, so the route template
//! (`MatchedPath`) is known here; unmatched requests are labelled `unmatched`. The log line carries the
//! request id echoed in `x-request-id`, and for internal errors the cause left by `AppError`. A plain tower
//! layer rather than `middleware::from_fn`: this runs on every probe, and `from_fn` costs an extra boxed
//! service clone per request.

use crate::error::ErrorCause;
use crate::metrics::UNMATCHED;
use crate::request_id::X_REQUEST_ID;
use crate::state::AppState;
use axum::extract::{MatchedPath, Request};
use http::Response;
use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Instant;
use tower::{Layer, Service};

/// The `tracing` target of request log lines (filter with `HUB_LOG=info,hub_workload::access=warn`).
pub const ACCESS: &str = "hub_workload::access";

/// Wraps a route with [`Observe`].
#[derive(Debug, Clone)]
pub struct ObserveLayer {
    state: AppState,
}

impl ObserveLayer {
    pub fn new(state: AppState) -> Self {
        Self { state }
    }
}

impl<S> Layer<S> for ObserveLayer {
    type Service = Observe<S>;

    fn layer(&self, inner: S) -> Observe<S> {
        Observe {
            inner,
            state: self.state.clone(),
        }
    }
}

/// Times the request, records it in the metrics, logs it, and sets `x-request-id` on the response.
#[derive(Debug, Clone)]
pub struct Observe<S> {
    inner: S,
    state: AppState,
}

impl<S, B> Service<Request> for Observe<S>
where
    S: Service<Request, Response = Response<B>, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
    B: Send + 'static,
{
    type Response = Response<B>;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response<B>, Infallible>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let started = Instant::now();
        let state = self.state.clone();
        let request_id = state.ids.for_request(request.headers());
        let route = request.extensions().get::<MatchedPath>().cloned();
        let method = request.method().clone();
        let uri = request.uri().clone();
        // `inner` was polled ready; a fresh clone takes its place for the next call.
        let fresh = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, fresh);
        Box::pin(async move {
            let in_flight = state.metrics.start();
            let Ok(mut response) = inner.call(request).await;
            drop(in_flight);
            let elapsed = started.elapsed();
            let status = response.status();
            let route = route.as_ref().map_or(UNMATCHED, MatchedPath::as_str);
            state.metrics.record(route, &method, status.as_u16(), elapsed);
            let duration_ms = elapsed.as_micros() as f64 / 1000.0;
            let id = request_id.to_str().unwrap_or("-");
            match response.extensions().get::<ErrorCause>() {
                Some(ErrorCause(cause)) => tracing::error!(
                    target: ACCESS, request_id = id, method = %method, path = uri.path(), route,
                    status = status.as_u16(), duration_ms, error = cause.as_str(), "request failed"
                ),
                None => tracing::info!(
                    target: ACCESS, request_id = id, method = %method, path = uri.path(), route,
                    status = status.as_u16(), duration_ms, "request"
                ),
            }
            response.headers_mut().insert(X_REQUEST_ID.clone(), request_id);
            Ok(response)
        })
    }
}
