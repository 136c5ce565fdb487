//! The one error type of the HTTP handlers.
//!
//! Client mistakes keep their status and say what was wrong. Internal failures answer with a generic
//! message and carry the cause in a response extension ([`ErrorCause`]), which the request logger writes
//! next to the request id: details reach the log, not the client.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// Everything a handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No route matches the path.
    #[error("not found")]
    NotFound,
    /// The path exists but not for this method.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// The request is malformed in a way the handler detected.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// The request body exceeds `HUB_MAX_BODY_BYTES`.
    #[error("request body too large")]
    PayloadTooLarge,
    /// The request body did not arrive within `HUB_BODY_TIMEOUT`.
    #[error("request body not received in time")]
    BodyTimeout,
    /// The connection cap is reached and this connection is one of those reserved for probes.
    #[error("busy")]
    Busy,
    /// A failure on our side; the text is logged, not returned.
    #[error("internal error")]
    Internal(String),
}

/// The cause of an internal error, attached to the response for the request logger.
#[derive(Debug, Clone)]
pub struct ErrorCause(pub String);

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: &'a str,
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::BodyTimeout => StatusCode::REQUEST_TIMEOUT,
            Self::Busy => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let message = self.to_string();
        let mut response = (self.status(), Json(ErrorBody { error: &message })).into_response();
        if let Self::Internal(cause) = self {
            response.extensions_mut().insert(ErrorCause(cause));
        }
        response
    }
}

impl From<tokio::task::JoinError> for AppError {
    fn from(error: tokio::task::JoinError) -> Self {
        Self::Internal(format!("background task failed: {error}"))
    }
}

impl From<axum::Error> for AppError {
    /// Classifies a failed body read: size limit, deadline, or a broken connection.
    fn from(error: axum::Error) -> Self {
        let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&error);
        while let Some(cause) = source {
            if cause.is::<http_body_util::LengthLimitError>() {
                return Self::PayloadTooLarge;
            }
            if cause.is::<tower_http::timeout::TimeoutError>() {
                return Self::BodyTimeout;
            }
            source = cause.source();
        }
        Self::BadRequest(format!("reading the request body: {error}"))
    }
}
