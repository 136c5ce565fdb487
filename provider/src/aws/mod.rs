//! AWS access for the provider: settings from the provider block, an `SdkConfig` loaded once and lazily
//! (so ConfigureProvider stays offline and an unknown configuration never fails), the IAM/EKS/STS clients
//! built from it, errors turned into diagnostics, and the in-process EKS bearer token.
//!
//! Standard SDK behaviour is kept on purpose: the default credential chain, `AWS_PROFILE`, `AWS_REGION`,
//! and `AWS_ENDPOINT_URL` / `AWS_ENDPOINT_URL_<SERVICE>` (which is how LocalStack and moto are reached).
//! The provider block only adds explicit overrides on top.

pub mod cluster_access;
pub mod eks_client;
pub mod eks_token;
mod error;
pub mod exec_credential;
#[cfg(test)]
pub mod fake;
mod minted;
pub mod oidc;
mod settings;

use std::sync::Arc;

use aws_config::BehaviorVersion;
use aws_config::retry::RetryConfig;
use aws_credential_types::provider::SharedCredentialsProvider;
use tokio::sync::OnceCell;

use crate::diag::Diagnostics;

pub use error::{AwsErrorKind, classify, describe, describe_cluster_error, sdk_error};
pub use minted::MintedToken;
pub use settings::{AssumeRole, AwsSettings, Endpoints};

/// Attempts per AWS call (the SDK's standard mode: exponential backoff with jitter on throttling, 5xx
/// and transient network errors). IAM throttles bursts of role writes; eight attempts ride that out.
pub const MAX_ATTEMPTS: u32 = 8;

/// The AWS clients the resources use, all from one `SdkConfig`.
#[derive(Clone, Debug)]
pub struct AwsClients {
    /// IAM (global).
    pub iam: aws_sdk_iam::Client,
    /// EKS in the configured region.
    pub eks: aws_sdk_eks::Client,
    /// STS in the configured region.
    pub sts: aws_sdk_sts::Client,
    /// EKS Auth in the configured region: Pod Identity verification exchanges a pod's token as the agent
    /// does.
    pub eks_auth: aws_sdk_eksauth::Client,
    /// Secrets Manager in the configured region (`hub_secret_value`).
    pub secretsmanager: aws_sdk_secretsmanager::Client,
    /// SSM Parameter Store in the configured region (`hub_secret_value`).
    pub ssm: aws_sdk_ssm::Client,
    /// The loaded configuration (region, credentials) for token signing.
    pub sdk: aws_config::SdkConfig,
}

impl AwsClients {
    /// The configured region, if any.
    pub fn region(&self) -> Option<String> {
        self.sdk.region().map(|r| r.to_string())
    }
}

/// AWS access as ConfigureProvider decided it: settings, or "not known yet". The SDK configuration is
/// loaded on first use and kept; failures are not cached, so a later call may succeed.
#[derive(Debug, Default)]
pub struct LazyAws {
    settings: Option<AwsSettings>,
    clients: OnceCell<AwsClients>,
}

impl LazyAws {
    /// AWS access with these settings (loaded on first use).
    pub fn new(settings: AwsSettings) -> Self {
        LazyAws {
            settings: Some(settings),
            clients: OnceCell::new(),
        }
    }

    /// The provider configuration is not known yet: every use reports that.
    pub fn unknown() -> Self {
        LazyAws {
            settings: None,
            clients: OnceCell::new(),
        }
    }

    /// AWS access through clients already built (tests over a fake transport).
    #[cfg(test)]
    pub fn ready(clients: AwsClients) -> Self {
        LazyAws {
            settings: Some(AwsSettings::default()),
            clients: OnceCell::new_with(Some(clients)),
        }
    }

    /// The provider block's AWS settings, or `None` while they are unknown.
    pub fn settings(&self) -> Option<&AwsSettings> {
        self.settings.as_ref()
    }

    /// The clients, loading the SDK configuration on first use.
    pub async fn clients(&self) -> Result<AwsClients, Diagnostics> {
        let Some(settings) = &self.settings else {
            return Err(Diagnostics::from_error(
                "Provider Configuration Unknown",
                "The hub provider's AWS settings depend on values that are not known yet, so AWS cannot be \
                 called. This is expected during plan; during apply it is a bug.",
            ));
        };
        self.clients.get_or_try_init(|| load(settings)).await.cloned()
    }
}

/// Shared handle, cheap to clone into background tasks (the EKS token layer).
pub type SharedAws = Arc<LazyAws>;

/// Refuses an endpoint from the environment (or the shared config) that is plain HTTP to another machine;
/// the provider block's `aws.endpoints` are checked at validate.
fn refuse_plain_http_endpoints(default: Option<&str>) -> Result<(), Diagnostics> {
    let from_env = [
        "AWS_ENDPOINT_URL_IAM",
        "AWS_ENDPOINT_URL_EKS",
        "AWS_ENDPOINT_URL_STS",
        "AWS_ENDPOINT_URL_EKS_AUTH",
        "AWS_ENDPOINT_URL_SECRETS_MANAGER",
        "AWS_ENDPOINT_URL_SSM",
    ]
    .into_iter()
    .filter_map(|name| Some((name, std::env::var(name).ok()?)));
    let default = default.map(|url| ("AWS_ENDPOINT_URL", url.to_owned()));
    match default
        .into_iter()
        .chain(from_env)
        .find(|(_, url)| crate::plain_http::is_plain_http_to_remote(url))
    {
        Some((name, url)) => Err(Diagnostics::from_error(
            "Plain-HTTP AWS Endpoint",
            crate::plain_http::plain_http_aws_detail(name, &url),
        )),
        None => Ok(()),
    }
}

/// The SDK defaults hub starts from: standard retries, and `lib/terraform-provider-hub/VERSION` in the
/// User-Agent of every AWS call, so CloudTrail shows which provider release made it.
fn defaults() -> aws_config::ConfigLoader {
    let loader = aws_config::defaults(BehaviorVersion::latest())
        .retry_config(RetryConfig::standard().with_max_attempts(MAX_ATTEMPTS));
    // A Cargo version only has characters the metadata accepts; were it refused, calls still work unnamed.
    match aws_config::FrameworkMetadata::new(crate::build_info::NAME, Some(crate::build_info::VERSION)) {
        Ok(release) => loader.framework_metadata(release),
        Err(_) => loader,
    }
}

/// Loads the SDK configuration and builds the clients. Offline except for what the credential chain
/// itself does (and the assume-role call, made when credentials are first needed).
async fn load(settings: &AwsSettings) -> Result<AwsClients, Diagnostics> {
    let mut loader = defaults();
    if let Some(region) = &settings.region {
        loader = loader.region(aws_config::Region::new(region.clone()));
    }
    if let Some(profile) = &settings.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(url) = &settings.endpoints.default {
        loader = loader.endpoint_url(url);
    }
    let mut sdk = loader.load().await;
    refuse_plain_http_endpoints(sdk.endpoint_url())?;
    if sdk.region().is_none() {
        return Err(Diagnostics::from_error(
            "AWS Region Not Set",
            "hub needs an AWS region: set `region` in the provider block, or AWS_REGION in the environment, \
             or a region in the AWS profile.",
        ));
    }
    if let Some(assume) = &settings.assume_role {
        let mut builder = aws_config::sts::AssumeRoleProvider::builder(&assume.role_arn).session_name(
            assume
                .session_name
                .clone()
                .unwrap_or_else(|| "terraform-provider-hub".into()),
        );
        if let Some(id) = &assume.external_id {
            builder = builder.external_id(id);
        }
        let provider = builder.configure(&sdk).build().await;
        sdk = sdk
            .into_builder()
            .credentials_provider(SharedCredentialsProvider::new(provider))
            .build();
    }
    let iam = {
        let mut b = aws_sdk_iam::config::Builder::from(&sdk);
        if let Some(url) = &settings.endpoints.iam {
            b = b.endpoint_url(url);
        }
        aws_sdk_iam::Client::from_conf(b.build())
    };
    let eks = {
        let mut b = aws_sdk_eks::config::Builder::from(&sdk);
        if let Some(url) = &settings.endpoints.eks {
            b = b.endpoint_url(url);
        }
        aws_sdk_eks::Client::from_conf(b.build())
    };
    let sts = {
        let mut b = aws_sdk_sts::config::Builder::from(&sdk);
        if let Some(url) = &settings.endpoints.sts {
            b = b.endpoint_url(url);
        }
        aws_sdk_sts::Client::from_conf(b.build())
    };
    // Reached through the default endpoint (or AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL_EKS_AUTH for EKS
    // Auth); the block has no override.
    let secretsmanager = aws_sdk_secretsmanager::Client::new(&sdk);
    let ssm = aws_sdk_ssm::Client::new(&sdk);
    let eks_auth = aws_sdk_eksauth::Client::new(&sdk);
    tracing::debug!(
        region = ?sdk.region().map(|r| r.to_string()),
        endpoint_override = settings.endpoints.default.is_some() || sdk.endpoint_url().is_some(),
        assume_role = settings.assume_role.is_some(),
        "AWS clients ready"
    );
    Ok(AwsClients {
        iam,
        eks,
        sts,
        eks_auth,
        secretsmanager,
        ssm,
        sdk,
    })
}

#[cfg(test)]
mod tests {
    use aws_config::Region;
    use aws_config::retry::RetryConfig;

    use super::fake::{FakeAws, ok};

    #[tokio::test]
    async fn aws_calls_name_the_release_in_the_user_agent() {
        let fake = FakeAws::new(|call| {
            ok(
                &call.action,
                "<Arn>arn:aws:iam::123456789012:user/t</Arn><UserId>AIDTEST</UserId><Account>123456789012</Account>",
            )
        });
        let sdk = super::defaults()
            .empty_test_environment()
            .test_credentials()
            .region(Region::new("us-east-1"))
            .retry_config(RetryConfig::disabled())
            .http_client(fake.http_client())
            .load()
            .await;
        aws_sdk_sts::Client::new(&sdk)
            .get_caller_identity()
            .send()
            .await
            .expect("GetCallerIdentity through the fake");
        let release = format!("lib/terraform-provider-hub/{}", crate::build_info::VERSION);
        let agents = fake.user_agents();
        assert_eq!(fake.actions(), ["GetCallerIdentity"]);
        assert!(
            agents.len() == 1 && agents[0].split(' ').any(|part| part == release),
            "{agents:?} should name {release}"
        );
    }
}
