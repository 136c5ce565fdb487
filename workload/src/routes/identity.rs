//! `/identity` (admin port): the AWS caller identity and the declared grants, 200 when all work, 503 otherwise.

use crate::identity::IdentityReport;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};

pub fn router() -> Router<AppState> {
    Router::new().route("/identity", get(identity))
}

async fn identity(State(state): State<AppState>) -> (StatusCode, Json<IdentityReport>) {
    let report = state.identity.report().await;
    let status = if report.ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(report))
}
