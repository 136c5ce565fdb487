//! `/debug/*`, served only with `HUB_DEBUG_ENDPOINTS=true`: a slow endpoint and a body reader.
//!
//! They exist so that graceful shutdown (a request still running at SIGTERM) and the body limits can be
//! shown and tested against the real binary. Off by default, so production images expose no way to hold
//! connections open on purpose.

use crate::error::AppError;
use axum::body::Body;
use axum::extract::Path;
use axum::http::Request;
use axum::routing::{get, post};
use axum::{Json, Router};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use std::time::Duration;

use crate::state::AppState;

/// Longest sleep `/debug/sleep/{ms}` accepts.
pub const MAX_SLEEP: Duration = Duration::from_secs(60);

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/debug/sleep/{ms}", get(sleep))
        .route("/debug/body", post(body))
}

async fn sleep(Path(ms): Path<u64>) -> Result<Json<Value>, AppError> {
    let duration = Duration::from_millis(ms);
    if duration > MAX_SLEEP {
        return Err(AppError::BadRequest(format!("at most {} ms", MAX_SLEEP.as_millis())));
    }
    tokio::time::sleep(duration).await;
    Ok(Json(json!({ "slept_ms": ms })))
}

async fn body(request: Request<Body>) -> Result<Json<Value>, AppError> {
    let bytes = request.into_body().collect().await?.to_bytes();
    Ok(Json(json!({ "bytes": bytes.len() })))
}
