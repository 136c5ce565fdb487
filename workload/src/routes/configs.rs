//! `/configs` (admin port): the configuration the workload received, secrets redacted (see `crate::configs`).

use crate::configs::ConfigView;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};

pub fn router() -> Router<AppState> {
    Router::new().route("/configs", get(configs))
}

async fn configs(State(state): State<AppState>) -> Result<Json<ConfigView>, AppError> {
    // Directory reads are blocking file I/O; keep them off the request threads.
    let view = tokio::task::spawn_blocking(move || state.configs.collect()).await?;
    Ok(Json(view))
}
