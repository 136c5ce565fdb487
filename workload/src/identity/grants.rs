//! Declared AWS grants (`HUB_GRANTS`) and the one read each performs to prove it works.
//!
//! A role can be assumable and still lack the permission the application needs; that shows up at runtime
//! as AccessDenied in the middle of a request. Each grant names a resource and the check exercises exactly
//! the read the application would do. Results carry metadata (sizes, versions, key counts) and AWS error
//! codes, never the values read: secret strings and parameter values are dropped unread.

use super::error::describe;
use serde::Serialize;
use std::str::FromStr;

/// An AWS resource the workload should be able to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Grant {
    /// `s3://bucket/key`: `s3:GetObject` on one object.
    S3Object { bucket: String, key: String },
    /// `s3://bucket/` or `s3://bucket/prefix/`: `s3:ListBucket` under a prefix.
    S3Prefix { bucket: String, prefix: String },
    /// `secretsmanager:<name or ARN>`: `secretsmanager:GetSecretValue`.
    Secret(String),
    /// `ssm:<parameter name>`: `ssm:GetParameter` with decryption.
    Parameter(String),
}

/// Why an entry of `HUB_GRANTS` is not a grant.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum GrantParseError {
    /// Unknown prefix.
    #[error("expected s3://bucket/key, s3://bucket/prefix/, secretsmanager:<name or ARN> or ssm:<parameter name>")]
    Kind,
    /// `s3://` without a bucket name.
    #[error("missing bucket name")]
    Bucket,
    /// Nothing after `secretsmanager:` or `ssm:`.
    #[error("missing name")]
    Name,
}

impl FromStr for Grant {
    type Err = GrantParseError;

    fn from_str(text: &str) -> Result<Self, GrantParseError> {
        if let Some(rest) = text.strip_prefix("s3://") {
            let (bucket, path) = rest.split_once('/').unwrap_or((rest, ""));
            if bucket.is_empty() {
                return Err(GrantParseError::Bucket);
            }
            let bucket = bucket.to_owned();
            return Ok(if path.is_empty() || path.ends_with('/') {
                Self::S3Prefix {
                    bucket,
                    prefix: path.to_owned(),
                }
            } else {
                Self::S3Object {
                    bucket,
                    key: path.to_owned(),
                }
            });
        }
        let named = |rest: &str, make: fn(String) -> Self| {
            if rest.is_empty() {
                Err(GrantParseError::Name)
            } else {
                Ok(make(rest.to_owned()))
            }
        };
        if let Some(rest) = text.strip_prefix("secretsmanager:") {
            return named(rest, Self::Secret);
        }
        if let Some(rest) = text.strip_prefix("ssm:") {
            return named(rest, Self::Parameter);
        }
        Err(GrantParseError::Kind)
    }
}

impl std::fmt::Display for Grant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::S3Object { bucket, key } => write!(f, "s3://{bucket}/{key}"),
            Self::S3Prefix { bucket, prefix } => write!(f, "s3://{bucket}/{prefix}"),
            Self::Secret(id) => write!(f, "secretsmanager:{id}"),
            Self::Parameter(name) => write!(f, "ssm:{name}"),
        }
    }
}

impl Grant {
    /// The IAM action the check exercises.
    pub fn action(&self) -> &'static str {
        match self {
            Self::S3Object { .. } => "s3:GetObject",
            Self::S3Prefix { .. } => "s3:ListBucket",
            Self::Secret(_) => "secretsmanager:GetSecretValue",
            Self::Parameter(_) => "ssm:GetParameter",
        }
    }
}

/// The outcome of checking one grant.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct GrantResult {
    pub grant: String,
    pub action: &'static str,
    pub ok: bool,
    /// What was read, without values: size, version, key count.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The AWS error code and message, or the transport error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Service clients built from one `SdkConfig`.
#[derive(Debug, Clone)]
pub struct Clients {
    pub s3: aws_sdk_s3::Client,
    pub secrets: aws_sdk_secretsmanager::Client,
    pub ssm: aws_sdk_ssm::Client,
}

impl Grant {
    /// Performs the read; `Ok` holds a value-free description of what was read.
    pub async fn check(&self, clients: &Clients) -> Result<String, String> {
        match self {
            Self::S3Object { bucket, key } => {
                let object = clients
                    .s3
                    .get_object()
                    .bucket(bucket)
                    .key(key)
                    .send()
                    .await
                    .map_err(|e| describe(&e))?;
                // The body is dropped unread: the call succeeding is the proof.
                Ok(format!(
                    "object readable ({} bytes)",
                    object.content_length().unwrap_or(0)
                ))
            }
            Self::S3Prefix { bucket, prefix } => {
                let listed = clients
                    .s3
                    .list_objects_v2()
                    .bucket(bucket)
                    .prefix(prefix)
                    .max_keys(1)
                    .send()
                    .await
                    .map_err(|e| describe(&e))?;
                Ok(format!(
                    "listable ({} key(s) in the first page of 1)",
                    listed.key_count().unwrap_or(0)
                ))
            }
            Self::Secret(id) => {
                let secret = clients
                    .secrets
                    .get_secret_value()
                    .secret_id(id)
                    .send()
                    .await
                    .map_err(|e| describe(&e))?;
                Ok(format!(
                    "secret readable (version {})",
                    secret.version_id().unwrap_or("unknown")
                ))
            }
            Self::Parameter(name) => {
                let parameter = clients
                    .ssm
                    .get_parameter()
                    .name(name)
                    .with_decryption(true)
                    .send()
                    .await
                    .map_err(|e| describe(&e))?;
                let (version, kind) = parameter
                    .parameter()
                    .map(|p| (p.version(), p.r#type().map(|t| t.as_str().to_owned())))
                    .unwrap_or((0, None));
                Ok(format!(
                    "parameter readable (version {version}, type {})",
                    kind.as_deref().unwrap_or("unknown")
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_round_trips() {
        let cases = [
            ("s3://assets/config/app.json", "s3:GetObject"),
            ("s3://assets/uploads/", "s3:ListBucket"),
            ("s3://assets", "s3:ListBucket"),
            ("secretsmanager:prod/db", "secretsmanager:GetSecretValue"),
            (
                "secretsmanager:arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf",
                "secretsmanager:GetSecretValue",
            ),
            ("ssm:/app/prod/feature-flags", "ssm:GetParameter"),
        ];
        for (text, action) in cases {
            let grant: Grant = text.parse().unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(grant.action(), action, "{text}");
            let shown = grant.to_string();
            let expected = if text == "s3://assets" { "s3://assets/" } else { text };
            assert_eq!(shown, expected);
        }
    }

    #[test]
    fn rejects_unknown_and_empty() {
        assert_eq!("dynamodb:table".parse::<Grant>(), Err(GrantParseError::Kind));
        assert_eq!("s3:///key".parse::<Grant>(), Err(GrantParseError::Bucket));
        assert_eq!("ssm:".parse::<Grant>(), Err(GrantParseError::Name));
        assert_eq!("secretsmanager:".parse::<Grant>(), Err(GrantParseError::Name));
    }
}
