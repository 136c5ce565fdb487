//! The AWS part of the provider block, decoded: region, profile, assume-role and endpoint overrides.
//! Everything is optional; what is not set comes from the standard AWS environment.

use crate::value::Value;

/// Role to assume on top of the base credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssumeRole {
    /// ARN of the role.
    pub role_arn: String,
    /// Session name (default `terraform-provider-hub`).
    pub session_name: Option<String>,
    /// External ID the role's trust policy requires.
    pub external_id: Option<String>,
}

/// Endpoint overrides; `default` applies to every service (like `AWS_ENDPOINT_URL`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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

fn text(v: Option<&Value>, name: &str) -> Option<String> {
    v?.attr(name)?.as_str().map(str::to_owned)
}

impl AwsSettings {
    /// From a wholly known provider configuration (`region` plus the `aws` nested attribute).
    pub fn from_provider_config(config: &Value) -> Self {
        let aws = config.attr("aws").filter(|v| !v.is_null());
        let assume = aws.and_then(|a| a.attr("assume_role")).filter(|v| !v.is_null());
        let endpoints = aws.and_then(|a| a.attr("endpoints")).filter(|v| !v.is_null());
        AwsSettings {
            region: text(Some(config), "region"),
            profile: text(aws, "profile"),
            assume_role: text(assume, "role_arn").map(|role_arn| AssumeRole {
                role_arn,
                session_name: text(assume, "session_name"),
                external_id: text(assume, "external_id"),
            }),
            endpoints: Endpoints {
                default: text(endpoints, "default"),
                iam: text(endpoints, "iam"),
                eks: text(endpoints, "eks"),
                sts: text(endpoints, "sts"),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_nested_settings_and_leaves_the_rest_to_the_environment() {
        let config = Value::object([
            ("region", Value::string("eu-west-1")),
            (
                "aws",
                Value::object([
                    ("profile", Value::string("ops")),
                    (
                        "assume_role",
                        Value::object([
                            ("role_arn", Value::string("arn:aws:iam::123456789012:role/deploy")),
                            ("session_name", Value::Null),
                            ("external_id", Value::string("x-1")),
                        ]),
                    ),
                    ("endpoints", Value::Null),
                ]),
            ),
        ]);
        let s = AwsSettings::from_provider_config(&config);
        assert_eq!(s.region.as_deref(), Some("eu-west-1"));
        assert_eq!(s.profile.as_deref(), Some("ops"));
        let a = s.assume_role.unwrap();
        assert_eq!(a.external_id.as_deref(), Some("x-1"));
        assert_eq!(a.session_name, None);
        assert_eq!(s.endpoints, Endpoints::default());
        assert_eq!(AwsSettings::from_provider_config(&Value::Null), AwsSettings::default());
    }
}
