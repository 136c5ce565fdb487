//! The routers: the app port's routes, the admin port's routes, and the probes-only router served on
//! reserved connections; each with the 404/405 fallbacks and the per-request layers.
//!
//! Kept apart from `main` so tests drive them with `app(state).oneshot(request)`, no socket needed.
//! Connection-level protection (header size and time limits, connection caps, graceful shutdown) lives in
//! `server`, because it happens before a request exists. The handler timeout and the body limits wrap only
//! the routes that wait on I/O or read a body (`/configs`, `/identity`, `/debug/*`): probes and metrics
//! answer from memory and never read a body (so hyper never buffers one), and a timer and a body wrapper
//! per probe would be pure cost.
//!
//! The app port is what the Service and the Ingress expose, so it carries only probes, `/` and the opt-in
//! debug routes. The diagnostic routes show configuration, AWS identity and internals and cost upstream
//! calls, so they live on the admin port, reachable inside the cluster (Prometheus, `kubectl port-forward`)
//! but never through the Ingress.

use crate::error::AppError;
use crate::observe::ObserveLayer;
use crate::routes;
use crate::state::AppState;
use axum::Router;
use axum::http::StatusCode;
use tower::ServiceBuilder;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::{RequestBodyDeadlineLayer, TimeoutLayer};

/// The app port: probes, `/`, and `/debug/*` when enabled.
pub fn app(state: AppState) -> Router {
    let mut router = Router::new()
        .merge(routes::probes::router())
        .merge(routes::index::router());
    if state.settings.debug_endpoints {
        router = router.merge(waiting(&state, routes::debug::router()));
    }
    finish(router, state)
}

/// The admin port: `/configs`, `/identity` and `/metrics`.
pub fn admin(state: AppState) -> Router {
    let waiting_routes = Router::new()
        .merge(routes::configs::router())
        .merge(routes::identity::router());
    let router = Router::new()
        .merge(routes::metrics::router())
        .merge(waiting(&state, waiting_routes));
    finish(router, state)
}

/// Served on reserved connections (the app port's connection cap is reached): probes answer, anything else
/// gets `503 {"error":"busy"}`.
pub fn probes_only(state: AppState) -> Router {
    Router::new()
        .merge(routes::probes::router())
        .fallback(|| async { AppError::Busy })
        .method_not_allowed_fallback(|| async { AppError::MethodNotAllowed })
        .layer(ObserveLayer::new(state.clone()))
        .with_state(state)
}

/// Adds the handler timeout and the body limits to routes that wait on I/O or read a body.
fn waiting(state: &AppState, routes: Router<AppState>) -> Router<AppState> {
    let limits = &state.settings.limits;
    routes.route_layer(
        ServiceBuilder::new()
            // A handler that does not answer in time gets 503: the server, not the client, was slow.
            .layer(TimeoutLayer::with_status_code(
                StatusCode::SERVICE_UNAVAILABLE,
                limits.request_timeout,
            ))
            .layer(RequestBodyDeadlineLayer::new(limits.body_timeout))
            .layer(RequestBodyLimitLayer::new(limits.max_body_bytes)),
    )
}

fn finish(router: Router<AppState>, state: AppState) -> Router {
    router
        .fallback(|| async { AppError::NotFound })
        .method_not_allowed_fallback(|| async { AppError::MethodNotAllowed })
        .layer(ObserveLayer::new(state.clone()))
        .with_state(state)
}

#[cfg(test)]
mod tests;
