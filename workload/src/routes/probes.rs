//! Kubernetes probes: `/health` (liveness) and its `/api/v1/health` alias, `/ready`, `/startup`.
//!
//! Paths and the liveness body are those of the seeds' Flask apps, byte for byte, so manifests, ALB health
//! checks and scripts written for them work unchanged. Liveness never looks at dependencies or draining: a
//! restart would not fix either. Readiness reads only cached state, so probes cost no I/O.

use super::JSON;
use crate::deps::DependencyStatus;
use crate::state::{AppState, Readiness};
use axum::extract::State;
use axum::http::{StatusCode, header::CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;

/// The liveness body of seed 001 (`curl …/health` → `{"status":"healthy"}`).
pub const HEALTHY: &str = r#"{"status":"healthy"}"#;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/health", get(health))
        .route("/api/v1/health", get(health))
        .route("/ready", get(ready))
        .route("/startup", get(startup))
}

async fn health() -> Response {
    ([(CONTENT_TYPE, JSON)], HEALTHY).into_response()
}

#[derive(Serialize)]
struct ReadyBody<'a> {
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'static str>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    dependencies: &'a [DependencyStatus],
}

async fn ready(State(state): State<AppState>) -> Response {
    let readiness = state.readiness();
    if readiness == Readiness::Ready && state.deps.is_empty() {
        return ([(CONTENT_TYPE, JSON)], r#"{"status":"ready"}"#).into_response();
    }
    let reason = match readiness {
        Readiness::Ready => None,
        Readiness::Starting => Some("starting"),
        Readiness::Draining => Some("draining"),
        Readiness::DependenciesDown => Some("dependencies unavailable"),
    };
    let snapshot = state.deps.snapshot();
    let body = ReadyBody {
        status: if reason.is_none() { "ready" } else { "not ready" },
        reason,
        dependencies: &snapshot,
    };
    let status = if reason.is_none() {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(body)).into_response()
}

async fn startup(State(state): State<AppState>) -> Response {
    if state.readiness() == Readiness::Starting {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            [(CONTENT_TYPE, JSON)],
            r#"{"status":"starting"}"#,
        )
            .into_response()
    } else {
        ([(CONTENT_TYPE, JSON)], r#"{"status":"started"}"#).into_response()
    }
}
