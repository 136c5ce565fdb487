//! `/identity`: who the workload is to AWS, and whether its declared grants work.
//!
//! Credentials come from the SDK's standard chain, so the same binary works with static keys, IRSA
//! (`AWS_ROLE_ARN` + `AWS_WEB_IDENTITY_TOKEN_FILE`, exchanged through `AssumeRoleWithWebIdentity`), EKS Pod
//! Identity (the agent's container credentials) or instance roles; the report names the EKS mechanism and
//! the assumed role ([`mechanism`]); `AWS_ENDPOINT_URL` redirects every service (the local plane's moto). The
//! configuration is loaded on the first request rather than at start-up: resolving a region or credentials
//! can mean network calls, and they must not delay `/ready`. Behavior version: `latest` (the crate feature
//! `behavior-version-latest`), because this binary is rebuilt and tested with each SDK upgrade.
//!
//! A report costs one STS call plus one call per grant, so it is reused for `cache_ttl`, and concurrent
//! requests share one round: the first caller checks while the others wait on the same lock and then read
//! its result. Otherwise every scrape or curl would turn into upstream calls, and a burst of requests into
//! a burst of AWS connections.

mod error;
mod grants;
mod mechanism;

pub use grants::{Clients, Grant, GrantParseError, GrantResult};

use aws_config::{BehaviorVersion, SdkConfig};
use serde::Serialize;
use std::time::Duration;
use tokio::sync::{Mutex, OnceCell};
use tokio::time::Instant;

/// How long a report is reused unless [`Identity::cache_for`] says otherwise.
pub const DEFAULT_CACHE_TTL: Duration = Duration::from_secs(30);

/// The JSON body of `/identity`.
#[derive(Debug, Clone, Serialize)]
pub struct IdentityReport {
    /// True when the caller is known and every grant works.
    pub ok: bool,
    /// Where the credentials are expected to come from, judged from the environment.
    pub credentials: &'static str,
    /// `irsa` or `pod_identity` when the environment is what that EKS mechanism injects.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mechanism: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The endpoint override (`AWS_ENDPOINT_URL`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    pub caller: Caller,
    pub grants: Vec<GrantResult>,
}

/// The result of `sts:GetCallerIdentity`.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Caller {
    pub ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// The IAM role of an assumed-role session (IRSA, Pod Identity, any AssumeRole).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Loaded SDK configuration and the clients made from it.
#[derive(Debug)]
struct Loaded {
    config: SdkConfig,
    sts: aws_sdk_sts::Client,
    clients: Clients,
}

/// Where the SDK configuration comes from.
#[derive(Debug)]
enum Source {
    /// The standard chain, read from the process environment on first use.
    Environment,
    /// A configuration built by the caller (tests).
    Fixed(Box<SdkConfig>),
}

/// Answers `/identity`.
#[derive(Debug)]
pub struct Identity {
    grants: Vec<Grant>,
    timeout: Duration,
    credentials: &'static str,
    mechanism: Option<&'static str>,
    source: Source,
    loaded: OnceCell<Loaded>,
    cache_ttl: Duration,
    /// The last report and when its round started; the lock is held while a round runs (single flight).
    last: Mutex<Option<(Instant, IdentityReport)>>,
}

impl Identity {
    /// Uses the standard chain; `env` is only used to describe the expected credential source.
    pub fn from_environment(grants: Vec<Grant>, timeout: Duration, env: &[(String, String)]) -> Self {
        let set = |name: &str| env.iter().any(|(k, v)| k == name && !v.is_empty());
        let credentials = if set("AWS_ACCESS_KEY_ID") {
            "environment"
        } else if set("AWS_ROLE_ARN") && set("AWS_WEB_IDENTITY_TOKEN_FILE") {
            "web-identity"
        } else if set("AWS_CONTAINER_CREDENTIALS_FULL_URI") || set("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
            "container"
        } else {
            "default-chain"
        };
        Self {
            grants,
            timeout,
            credentials,
            mechanism: mechanism::mechanism(env),
            source: Source::Environment,
            loaded: OnceCell::new(),
            cache_ttl: DEFAULT_CACHE_TTL,
            last: Mutex::new(None),
        }
    }

    /// Uses `config` as given.
    pub fn with_config(config: SdkConfig, grants: Vec<Grant>, timeout: Duration) -> Self {
        Self {
            grants,
            timeout,
            credentials: "fixed",
            mechanism: None,
            source: Source::Fixed(Box::new(config)),
            loaded: OnceCell::new(),
            cache_ttl: DEFAULT_CACHE_TTL,
            last: Mutex::new(None),
        }
    }

    /// Reuses each report for `ttl` (zero checks on every request, still one round at a time).
    #[must_use]
    pub fn cache_for(mut self, ttl: Duration) -> Self {
        self.cache_ttl = ttl;
        self
    }

    /// The last report if younger than the cache TTL, else a new one; concurrent callers share one round.
    pub async fn report(&self) -> IdentityReport {
        let mut last = self.last.lock().await;
        if let Some((started, report)) = last.as_ref()
            && started.elapsed() < self.cache_ttl
        {
            return report.clone();
        }
        let started = Instant::now();
        let report = self.check().await;
        *last = Some((started, report.clone()));
        report
    }

    async fn loaded(&self) -> Result<&Loaded, String> {
        self.loaded
            .get_or_try_init(|| async {
                let config = match &self.source {
                    Source::Fixed(config) => config.as_ref().clone(),
                    Source::Environment => {
                        let timeouts = aws_config::timeout::TimeoutConfig::builder()
                            .operation_timeout(self.timeout)
                            .connect_timeout(self.timeout.min(Duration::from_secs(3)))
                            .build();
                        let loader = aws_config::defaults(BehaviorVersion::latest()).timeout_config(timeouts);
                        tokio::time::timeout(self.timeout, loader.load())
                            .await
                            .map_err(|_| format!("loading the AWS configuration timed out after {:?}", self.timeout))?
                    }
                };
                Ok(Loaded::new(config))
            })
            .await
    }

    /// Calls `GetCallerIdentity` and checks every grant, concurrently, each bounded by the identity timeout.
    async fn check(&self) -> IdentityReport {
        let loaded = match self.loaded().await {
            Ok(loaded) => loaded,
            Err(error) => {
                return IdentityReport {
                    ok: false,
                    credentials: self.credentials,
                    mechanism: self.mechanism,
                    region: None,
                    endpoint: None,
                    caller: Caller {
                        error: Some(error.clone()),
                        ..Caller::default()
                    },
                    grants: self.grants.iter().map(|g| failed(g, &error)).collect(),
                };
            }
        };
        // The caller and every grant are checked concurrently, so the report takes one timeout at most.
        let mut checks = tokio::task::JoinSet::new();
        for (index, grant) in self.grants.iter().cloned().enumerate() {
            let clients = loaded.clients.clone();
            let timeout = self.timeout;
            checks.spawn(async move {
                let result = match tokio::time::timeout(timeout, grant.check(&clients)).await {
                    Ok(Ok(detail)) => GrantResult {
                        grant: grant.to_string(),
                        action: grant.action(),
                        ok: true,
                        detail: Some(detail),
                        error: None,
                    },
                    Ok(Err(error)) => failed(&grant, &error),
                    Err(_) => failed(&grant, &format!("timed out after {timeout:?}")),
                };
                (index, result)
            });
        }
        let caller = self.caller(loaded).await;
        let mut grants: Vec<GrantResult> = self.grants.iter().map(|g| failed(g, "check did not run")).collect();
        while let Some(joined) = checks.join_next().await {
            match joined {
                Ok((index, result)) => grants[index] = result,
                Err(error) => tracing::error!(%error, "grant check task failed"),
            }
        }
        IdentityReport {
            ok: caller.ok && grants.iter().all(|g| g.ok),
            credentials: self.credentials,
            mechanism: self.mechanism,
            region: loaded.config.region().map(|r| r.to_string()),
            endpoint: loaded.config.endpoint_url().map(str::to_owned),
            caller,
            grants,
        }
    }

    async fn caller(&self, loaded: &Loaded) -> Caller {
        match tokio::time::timeout(self.timeout, loaded.sts.get_caller_identity().send()).await {
            Ok(Ok(out)) => Caller {
                ok: true,
                account: out.account().map(str::to_owned),
                arn: out.arn().map(str::to_owned),
                user_id: out.user_id().map(str::to_owned),
                role: out.arn().and_then(mechanism::assumed_role),
                error: None,
            },
            Ok(Err(e)) => Caller {
                error: Some(error::describe(&e)),
                ..Caller::default()
            },
            Err(_) => Caller {
                error: Some(format!("timed out after {:?}", self.timeout)),
                ..Caller::default()
            },
        }
    }
}

impl Loaded {
    fn new(config: SdkConfig) -> Self {
        // With an endpoint override (moto, MinIO) bucket names cannot be resolved as sub-domains.
        let s3_config = aws_sdk_s3::config::Builder::from(&config)
            .force_path_style(config.endpoint_url().is_some())
            .build();
        Self {
            sts: aws_sdk_sts::Client::new(&config),
            clients: Clients {
                s3: aws_sdk_s3::Client::from_conf(s3_config),
                secrets: aws_sdk_secretsmanager::Client::new(&config),
                ssm: aws_sdk_ssm::Client::new(&config),
            },
            config,
        }
    }
}

fn failed(grant: &Grant, error: &str) -> GrantResult {
    GrantResult {
        grant: grant.to_string(),
        action: grant.action(),
        ok: false,
        detail: None,
        error: Some(error.to_owned()),
    }
}
