//! One module per concern, each returning its own `Router` with its handlers beside it; `app` merges them.

pub mod configs;
pub mod debug;
pub mod identity;
pub mod index;
pub mod metrics;
pub mod probes;

use axum::http::HeaderValue;

/// `Content-Type` of JSON bodies written by hand (probes), matching what `axum::Json` sends.
pub const JSON: HeaderValue = HeaderValue::from_static("application/json");
