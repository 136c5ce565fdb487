//! One-line descriptions of AWS SDK errors for `/identity`.
//!
//! Service errors become `Code: message` (what an operator searches for: `AccessDenied`,
//! `InvalidIdentityToken`); transport and credential errors keep their cause chain, because the top level
//! alone ("dispatch failure") does not say what went wrong. Only `Display` texts are used: the SDK's
//! `Debug` output includes raw responses.

use crate::http_client::error_chain;
use aws_sdk_sts::error::{ProvideErrorMetadata, SdkError};

/// Describes an SDK error without request or response bodies.
pub fn describe<E, R>(error: &SdkError<E, R>) -> String
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug + 'static,
{
    match error.as_service_error() {
        Some(service) => match (service.code(), service.message()) {
            (Some(code), Some(message)) => format!("{code}: {message}"),
            (Some(code), None) => code.to_owned(),
            _ => error_chain(error),
        },
        None => error_chain(error),
    }
}
