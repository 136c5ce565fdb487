//! The one error type of model decoding and encoding, carrying the attribute path where it happened.

use std::fmt;

use crate::value::{AttributePath, DecodeError, EncodeError};

/// Marks an unknown value met where the model has no [`super::Tf`]; `Tf` catches it.
const UNKNOWN: &str = "the value is not known until apply, and this field cannot hold an unknown value";

/// A decode or encode failure: what went wrong and, once known, where.
#[derive(Debug)]
pub struct ModelError {
    path: Option<AttributePath>,
    message: String,
}

impl ModelError {
    pub(super) fn new(path: &AttributePath, message: impl Into<String>) -> Self {
        ModelError {
            path: Some(path.clone()),
            message: message.into(),
        }
    }
    pub(super) fn unknown(path: &AttributePath) -> Self {
        ModelError {
            path: Some(path.clone()),
            message: UNKNOWN.to_owned(),
        }
    }
    /// Sets the path unless a deeper one is already known.
    pub(super) fn at(mut self, path: &AttributePath) -> Self {
        if self.path.is_none() {
            self.path = Some(path.clone());
        }
        self
    }
    /// Whether this error is an unknown value met outside a `Tf`: serde hands `Tf` errors only as
    /// `Display`, so the marker is recognised in the text.
    pub(super) fn is_unknown_text(text: &str) -> bool {
        text.ends_with(UNKNOWN)
    }
    pub(super) fn into_decode(self) -> DecodeError {
        DecodeError::new(&self.path.unwrap_or_default(), self.message)
    }
    pub(super) fn into_encode(self) -> EncodeError {
        EncodeError::new(&self.path.unwrap_or_default(), self.message)
    }
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.path {
            Some(p) if !p.0.is_empty() => write!(f, "{p}: {}", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ModelError {}

impl serde::de::Error for ModelError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        ModelError {
            path: None,
            message: msg.to_string(),
        }
    }
}

impl serde::ser::Error for ModelError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        ModelError {
            path: None,
            message: msg.to_string(),
        }
    }
}
