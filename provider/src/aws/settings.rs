//! The AWS part of the provider block, decoded: region, profile, assume-role and endpoint overrides.
//! Everything is optional; what is not set comes from the standard AWS environment.

use serde::{Deserialize, Serialize};

/// Role to assume on top of the base credentials (the provider block's `aws.assume_role`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssumeRole {
    /// ARN of the role.
    pub role_arn: String,
    /// Session name (default `terraform-provider-hub`).
    pub session_name: Option<String>,
    /// External ID the role's trust policy requires.
    pub external_id: Option<String>,
}

/// Endpoint overrides (the provider block's `aws.endpoints`); `default` applies to every service (like
/// `AWS_ENDPOINT_URL`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Endpoints {
    /// All services.
    pub default: Option<String>,
    /// IAM only.
    pub iam: Option<String>,
    /// EKS only.
    pub eks: Option<String>,
    /// STS only.
    pub sts: Option<String>,
}

/// AWS settings from the provider block.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AwsSettings {
    /// Region (else AWS_REGION / the profile's).
    pub region: Option<String>,
    /// Named profile (else AWS_PROFILE / default).
    pub profile: Option<String>,
    /// Role to assume.
    pub assume_role: Option<AssumeRole>,
    /// Endpoint overrides.
    pub endpoints: Endpoints,
}

impl Endpoints {
    /// Each override by its attribute name.
    pub fn by_service(&self) -> [(&'static str, Option<&str>); 4] {
        [
            ("default", self.default.as_deref()),
            ("iam", self.iam.as_deref()),
            ("eks", self.eks.as_deref()),
            ("sts", self.sts.as_deref()),
        ]
    }
}
