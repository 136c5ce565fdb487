//! AWS SDK errors as typed kinds (what the caller branches on) and as diagnostics (what users read).
//! Retrying is the SDK's job (standard mode); by the time an error gets here the retries are spent, so the
//! message says so for throttling and server errors.

use aws_sdk_iam::config::http::HttpResponse;
use aws_sdk_iam::error::{ProvideErrorMetadata, SdkError};

use crate::diag::Diagnostics;
use crate::value::AttributePath;

/// What kind of failure an AWS call had.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AwsErrorKind {
    /// The entity does not exist (IAM `NoSuchEntity`, EKS `ResourceNotFoundException`).
    NotFound,
    /// The entity exists already (`EntityAlreadyExists`, `ResourceInUseException`).
    AlreadyExists,
    /// Throttled even after the SDK's retries.
    Throttled,
    /// The credentials are valid but not allowed.
    AccessDenied,
    /// The credentials are missing, expired or invalid.
    Credentials,
    /// The endpoint could not be reached (DNS, connection, timeout).
    Unreachable,
    /// The request was rejected as invalid (malformed policy, bad parameter).
    Invalid,
    /// A 5xx from AWS, after retries.
    Server,
    /// Anything else.
    Other,
}

/// Classifies an error code plus HTTP status (pure, so it is unit-tested without the SDK).
pub(super) fn classify_code(code: Option<&str>, status: Option<u16>) -> AwsErrorKind {
    match code.unwrap_or("") {
        "NoSuchEntity" | "NoSuchEntityException" | "ResourceNotFoundException" | "ParameterNotFound" => {
            AwsErrorKind::NotFound
        }
        "EntityAlreadyExists" | "ResourceInUseException" => AwsErrorKind::AlreadyExists,
        "Throttling" | "ThrottlingException" | "TooManyRequestsException" | "RequestLimitExceeded" => {
            AwsErrorKind::Throttled
        }
        "AccessDenied" | "AccessDeniedException" | "UnauthorizedOperation" => AwsErrorKind::AccessDenied,
        "ExpiredToken"
        | "ExpiredTokenException"
        | "InvalidClientTokenId"
        | "SignatureDoesNotMatch"
        | "UnrecognizedClientException" => AwsErrorKind::Credentials,
        "MalformedPolicyDocument"
        | "ValidationError"
        | "InvalidInput"
        | "InvalidParameterException"
        | "LimitExceeded" => AwsErrorKind::Invalid,
        _ => match status {
            Some(404) => AwsErrorKind::NotFound,
            Some(429) => AwsErrorKind::Throttled,
            Some(s) if s >= 500 => AwsErrorKind::Server,
            _ => AwsErrorKind::Other,
        },
    }
}

/// The kind of an SDK error.
pub fn classify<E: ProvideErrorMetadata>(err: &SdkError<E, HttpResponse>) -> AwsErrorKind {
    match err {
        SdkError::DispatchFailure(d) if d.is_user() => AwsErrorKind::Credentials,
        SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) => AwsErrorKind::Unreachable,
        SdkError::ConstructionFailure(_) => AwsErrorKind::Credentials,
        _ => {
            let unparsed = unparsed_error(err);
            let code = err.code().or(unparsed.as_ref().map(|(code, _)| code.as_str()));
            classify_code(code, err.raw_response().map(|r| r.status().as_u16()))
        }
    }
}

/// `<Code>` and `<Message>` of an error body the SDK did not parse. moto, for one, answers IAM
/// authorization failures in an XML shape the IAM client does not model, which would otherwise leave only
/// "unhandled error" and hide the action that was denied.
fn unparsed_error<E: ProvideErrorMetadata>(err: &SdkError<E, HttpResponse>) -> Option<(String, String)> {
    if err.code().is_some() {
        return None;
    }
    let body = std::str::from_utf8(err.raw_response()?.body().bytes()?).ok()?;
    let element = |name: &str| {
        let open = format!("<{name}>");
        let start = body.find(&open)? + open.len();
        let end = start + body[start..].find(&format!("</{name}>"))?;
        Some(xml_text(body[start..end].trim()))
    };
    Some((element("Code")?, element("Message").unwrap_or_default()))
}

/// XML character data with the five predefined entities decoded.
fn xml_text(raw: &str) -> String {
    raw.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

fn hint(kind: AwsErrorKind) -> &'static str {
    match kind {
        AwsErrorKind::Throttled => " AWS kept throttling after all retries; lower -parallelism or try again later.",
        AwsErrorKind::Server => " AWS kept failing after all retries; try again later.",
        AwsErrorKind::AccessDenied => {
            " The AWS identity hub runs as lacks this permission; grant it, or configure `aws.assume_role`."
        }
        AwsErrorKind::Credentials => {
            " Check the AWS credentials (environment, profile or `aws.assume_role`); they may be missing or expired."
        }
        AwsErrorKind::Unreachable => {
            " The AWS endpoint could not be reached; check the network, `region`, and any endpoint override (AWS_ENDPOINT_URL or `aws.endpoints`)."
        }
        AwsErrorKind::Invalid => " AWS rejected the request as invalid.",
        _ => "",
    }
}

/// One line describing the failure, never including request bodies or credentials.
pub fn describe<E: ProvideErrorMetadata + std::error::Error + 'static>(err: &SdkError<E, HttpResponse>) -> String {
    let mut text = match (err.code(), err.message()) {
        (Some(code), Some(msg)) => format!("{code}: {msg}"),
        (Some(code), None) => code.to_owned(),
        _ if let Some((code, msg)) = unparsed_error(err) => format!("{code}: {msg}"),
        _ => {
            // The error chain, for transport failures (connection refused, DNS, timeouts).
            let mut parts = vec![err.to_string()];
            let mut source = std::error::Error::source(err);
            while let Some(s) = source {
                parts.push(s.to_string());
                source = s.source();
            }
            parts.join(": ")
        }
    };
    if let Some(status) = err.raw_response().map(|r| r.status().as_u16()) {
        text.push_str(&format!(" (HTTP {status})"));
    }
    text
}

/// A diagnostic for a failed AWS call: `action` says what hub was doing.
pub fn sdk_error<E: ProvideErrorMetadata + std::error::Error + 'static>(
    action: &str,
    err: &SdkError<E, HttpResponse>,
) -> Diagnostics {
    let kind = classify(err);
    Diagnostics::from_error("AWS API Error", format!("{action}: {}.{}", describe(err), hint(kind)))
}

/// A DescribeCluster error as diagnostics: a missing cluster is a configuration problem of the attribute naming it (`attr`), so it points there;
/// anything else is an AWS error.
pub fn describe_cluster_error<E: ProvideErrorMetadata + std::error::Error + 'static>(
    attr: &str,
    name: &str,
    region: Option<String>,
    err: &SdkError<E, HttpResponse>,
) -> Diagnostics {
    if classify(err) != AwsErrorKind::NotFound {
        return sdk_error(&format!("Describing EKS cluster {name:?}"), err);
    }
    let mut diags = Diagnostics::new();
    diags.error_at(
        &AttributePath::attr(attr),
        "EKS Cluster Not Found",
        format!(
            "{attr} = {name:?}: there is no EKS cluster of that name in region {} for these credentials.",
            region.unwrap_or_else(|| "(none)".into())
        ),
    );
    diags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_body_the_sdk_did_not_parse_still_names_code_and_message() {
        use aws_sdk_iam::error::ErrorMetadata;
        use aws_sdk_iam::operation::put_role_policy::PutRolePolicyError;
        use aws_smithy_types::body::SdkBody;
        let body = "<ErrorResponse><Errors><Error><Code>AccessDenied</Code><Message>User: arn:aws:iam::1:user/d \
                    is not authorized to perform: iam:PutRolePolicy &amp; more</Message></Error></Errors></ErrorResponse>";
        let status = 403u16.try_into().expect("status");
        let raw = HttpResponse::new(status, SdkBody::from(body));
        let err = SdkError::service_error(PutRolePolicyError::generic(ErrorMetadata::builder().build()), raw);
        assert_eq!(classify(&err), AwsErrorKind::AccessDenied);
        assert_eq!(
            describe(&err),
            "AccessDenied: User: arn:aws:iam::1:user/d is not authorized to perform: iam:PutRolePolicy & more (HTTP 403)"
        );
    }

    #[test]
    fn codes_and_statuses_map_to_kinds() {
        assert_eq!(classify_code(Some("NoSuchEntity"), Some(404)), AwsErrorKind::NotFound);
        assert_eq!(
            classify_code(Some("ResourceNotFoundException"), Some(404)),
            AwsErrorKind::NotFound
        );
        assert_eq!(
            classify_code(Some("EntityAlreadyExists"), Some(409)),
            AwsErrorKind::AlreadyExists
        );
        assert_eq!(classify_code(Some("Throttling"), Some(400)), AwsErrorKind::Throttled);
        assert_eq!(
            classify_code(Some("ThrottlingException"), Some(400)),
            AwsErrorKind::Throttled
        );
        assert_eq!(
            classify_code(Some("ExpiredToken"), Some(403)),
            AwsErrorKind::Credentials
        );
        assert_eq!(
            classify_code(Some("AccessDenied"), Some(403)),
            AwsErrorKind::AccessDenied
        );
        assert_eq!(
            classify_code(Some("MalformedPolicyDocument"), Some(400)),
            AwsErrorKind::Invalid
        );
        assert_eq!(classify_code(None, Some(503)), AwsErrorKind::Server);
        assert_eq!(classify_code(Some("InternalFailure"), Some(500)), AwsErrorKind::Server);
        assert_eq!(classify_code(None, Some(404)), AwsErrorKind::NotFound);
        assert_eq!(classify_code(None, None), AwsErrorKind::Other);
    }

    #[test]
    fn hints_tell_what_to_do() {
        assert!(hint(AwsErrorKind::Throttled).contains("after all retries"));
        assert!(hint(AwsErrorKind::Unreachable).contains("AWS_ENDPOINT_URL"));
        assert_eq!(hint(AwsErrorKind::Other), "");
    }
}
