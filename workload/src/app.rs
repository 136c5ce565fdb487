//! The router: every route module merged, the 404/405 fallbacks, and the per-request layers.
//!
//! Kept apart from `main` so tests drive it with `app(state).oneshot(request)`, no socket needed.
//! Connection-level protection (header size and time limits, connection cap, graceful shutdown) lives in
//! `server`, because it happens before a request exists. The handler timeout and the body limits wrap only
//! the routes that wait on I/O or read a body (`/configs`, `/identity`, `/debug/*`): probes and metrics
//! answer from memory and never read a body (so hyper never buffers one), and a timer and a body wrapper
//! per probe would be pure cost.

use crate::error::AppError;
use crate::observe::ObserveLayer;
use crate::routes;
use crate::state::AppState;
use axum::Router;
use axum::http::StatusCode;
use tower::ServiceBuilder;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::{RequestBodyDeadlineLayer, TimeoutLayer};

/// Builds the application for `state`.
pub fn app(state: AppState) -> Router {
    let limits = state.settings.limits.clone();
    let mut waiting = Router::new()
        .merge(routes::configs::router())
        .merge(routes::identity::router());
    if state.settings.debug_endpoints {
        waiting = waiting.merge(routes::debug::router());
    }
    let waiting = waiting.route_layer(
        ServiceBuilder::new()
            // A handler that does not answer in time gets 503: the server, not the client, was slow.
            .layer(TimeoutLayer::with_status_code(
                StatusCode::SERVICE_UNAVAILABLE,
                limits.request_timeout,
            ))
            .layer(RequestBodyDeadlineLayer::new(limits.body_timeout))
            .layer(RequestBodyLimitLayer::new(limits.max_body_bytes)),
    );
    Router::new()
        .merge(routes::probes::router())
        .merge(routes::index::router())
        .merge(routes::metrics::router())
        .merge(waiting)
        .fallback(|| async { AppError::NotFound })
        .method_not_allowed_fallback(|| async { AppError::MethodNotAllowed })
        .layer(ObserveLayer::new(state.clone()))
        .with_state(state)
}

#[cfg(test)]
mod tests;
