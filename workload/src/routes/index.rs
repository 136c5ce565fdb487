//! `/`: what is running here (seed 004's deploy script checks that `/` answers), on the app port.

use crate::state::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;

/// Every route of the app port (the `/debug` ones only when enabled); the admin port's routes are not
/// advertised here, since this answer goes through the Ingress.
pub const ENDPOINTS: &[&str] = &["/health", "/api/v1/health", "/ready", "/startup"];

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(index))
}

#[derive(Serialize)]
struct Index<'a> {
    service: &'a str,
    version: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    hostname: Option<&'a str>,
    endpoints: &'static [&'static str],
}

async fn index(State(state): State<AppState>) -> Response {
    let body = Index {
        service: &state.settings.service_name,
        version: env!("CARGO_PKG_VERSION"),
        hostname: state.hostname.as_deref(),
        endpoints: ENDPOINTS,
    };
    // Serialized here, while `state` (which the body borrows) is alive.
    Json(body).into_response()
}
