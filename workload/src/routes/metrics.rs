//! `/metrics` (admin port): Prometheus text format (see `crate::metrics`).

use crate::state::{AppState, Readiness};
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, header::CONTENT_TYPE};
use axum::response::IntoResponse;
use axum::routing::get;

const PROMETHEUS_TEXT: HeaderValue = HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8");

pub fn router() -> Router<AppState> {
    Router::new().route("/metrics", get(metrics))
}

async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    let ready = state.readiness() == Readiness::Ready;
    let text = crate::metrics::render(&state.metrics, ready, &state.deps.snapshot());
    ([(CONTENT_TYPE, PROMETHEUS_TEXT)], text)
}
