//! The one error type of the Kubernetes layer: what the API server said, as a kind resources match on
//! instead of HTTP status numbers, and the diagnostic that says what to do about it.

use kube::core::Status;

use crate::diag::Diagnostics;

/// A failed Kubernetes request, classified once from [`kube::Error`].
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Another field manager holds fields, the object already exists, or it changed meanwhile (HTTP 409).
    #[error("{}", describe(.0))]
    Conflict(Box<Status>),
    /// The API server rejected the object as invalid (HTTP 422).
    #[error("{}", describe(.0))]
    Invalid(Box<Status>),
    /// The credentials were rejected or lack permission, or a quota refused the request (HTTP 401, 403).
    #[error("{}", describe(.0))]
    Forbidden(Box<Status>),
    /// The object (or its namespace) does not exist (HTTP 404).
    #[error("{}", describe(.0))]
    NotFound(Box<Status>),
    /// The API server is throttling requests (HTTP 429).
    #[error("{}", describe(.0))]
    Throttled(Box<Status>),
    /// Any other status the API server answered with.
    #[error("{}", describe(.0))]
    Other(Box<Status>),
    /// No usable answer came back: connection, TLS, timeout, or a response that could not be read.
    #[error(transparent)]
    Unreachable(kube::Error),
}

fn describe(status: &Status) -> String {
    format!("{} ({}, HTTP {})", status.message, status.reason, status.code)
}

impl From<kube::Error> for Error {
    fn from(err: kube::Error) -> Self {
        let kube::Error::Api(status) = err else {
            return Self::Unreachable(err);
        };
        match status.code {
            401 | 403 => Self::Forbidden(status),
            404 => Self::NotFound(status),
            409 => Self::Conflict(status),
            422 => Self::Invalid(status),
            429 => Self::Throttled(status),
            _ => Self::Other(status),
        }
    }
}

impl Error {
    /// The API server's answer, when there was one.
    pub fn status(&self) -> Option<&Status> {
        match self {
            Self::Conflict(s)
            | Self::Invalid(s)
            | Self::Forbidden(s)
            | Self::NotFound(s)
            | Self::Throttled(s)
            | Self::Other(s) => Some(s),
            Self::Unreachable(_) => None,
        }
    }

    /// Whether the object does not exist.
    pub fn is_not_found(&self) -> bool {
        matches!(self, Self::NotFound(_))
    }

    /// A diagnostic naming the action and, for common answers, the fix.
    pub fn diagnostics(&self, action: &str) -> Diagnostics {
        let detail = match self {
            Self::Unreachable(err) => {
                format!("{action}: {err}. Check that the cluster endpoint is reachable from where Terraform runs.")
            }
            _ => format!("{action}: {self}.{}", self.hint()),
        };
        Diagnostics::from_error("Kubernetes API Error", detail)
    }

    /// What to do about an answer, with a leading space; empty when there is nothing to add.
    fn hint(&self) -> &'static str {
        match self {
            Self::Forbidden(s) if s.code == 401 => {
                " The credentials were rejected: check `token` or the client certificate (an EKS token expires after 15 minutes)."
            }
            Self::Forbidden(s) if s.message.contains("exceeded quota") => {
                " The namespace's ResourceQuota does not allow this (the message names the quota and the amounts): raise it (hub_namespace.resource_quota) or ask for less."
            }
            Self::Forbidden(_) => {
                " The identity hub uses is not allowed to do this: grant it RBAC permissions (on EKS, an access entry)."
            }
            Self::Conflict(s) if s.message.starts_with("Apply failed with") => {
                " Another field manager holds fields hub sets (named in the message)."
            }
            Self::Conflict(s) if s.reason == "AlreadyExists" => " It already exists.",
            Self::Conflict(_) => " Someone else changed the object at the same time; plan and apply again.",
            Self::Invalid(_) => " The API server rejected the object as invalid.",
            Self::Throttled(_) => " The API server is throttling requests; retry later.",
            Self::NotFound(_) | Self::Other(_) | Self::Unreachable(_) => "",
        }
    }
}

/// Turns a kube error into a diagnostic naming the action and, for common statuses, the fix.
pub fn report(action: &str, err: kube::Error) -> Diagnostics {
    Error::from(err).diagnostics(action)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(code: u16, reason: &str, message: &str) -> kube::Error {
        kube::Error::Api(Box::new(
            serde_json::from_value(serde_json::json!({"code": code, "reason": reason, "message": message}))
                .expect("status"),
        ))
    }

    #[test]
    fn statuses_become_kinds() {
        assert!(matches!(
            Error::from(api(401, "Unauthorized", "no")),
            Error::Forbidden(_)
        ));
        assert!(matches!(Error::from(api(403, "Forbidden", "no")), Error::Forbidden(_)));
        assert!(Error::from(api(404, "NotFound", "gone")).is_not_found());
        assert!(matches!(Error::from(api(409, "Conflict", "x")), Error::Conflict(_)));
        assert!(matches!(Error::from(api(422, "Invalid", "x")), Error::Invalid(_)));
        assert!(matches!(
            Error::from(api(429, "TooManyRequests", "x")),
            Error::Throttled(_)
        ));
        assert!(matches!(Error::from(api(500, "InternalError", "x")), Error::Other(_)));
    }

    #[test]
    fn diagnostics_name_the_action_status_and_fix() {
        let d = report(
            "Applying Service ns/api",
            api(409, "AlreadyExists", "services \"api\" already exists"),
        );
        assert_eq!(
            d.0[0].detail,
            "Applying Service ns/api: services \"api\" already exists (AlreadyExists, HTTP 409). It already exists."
        );
        assert_eq!(d.0[0].summary, "Kubernetes API Error");
        let d = report("Reading x", api(500, "InternalError", "boom"));
        assert_eq!(d.0[0].detail, "Reading x: boom (InternalError, HTTP 500).");
    }
}
