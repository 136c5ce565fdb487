//! The provider block: its schema, its validation, and turning it into a cluster connection.
//!
//! Nothing here contacts a server: building a client is offline, so ConfigureProvider is fast and never
//! fails merely because a value is unknown (a cluster created in the same apply). In EKS mode
//! (`cluster_name`) the cluster is described and the token minted on the first Kubernetes request.

use base64::Engine;
use rustls_pki_types::{CertificateDer, pem::PemObject};
use secrecy::{ExposeSecret, SecretString};

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;

use crate::aws::{AssumeRole, AwsSettings, Endpoints, LazyAws, SharedAws};
use crate::diag::Diagnostics;
use crate::framework::{Connection, ProviderBlock, ProviderContext};
use crate::plain_http::{is_plain_http_to_remote, plain_http_aws_detail};
use crate::schema::{Attribute, Block, Nesting, Schema, Validator, validators};
use crate::value::{AttributePath, Tf};

/// The provider block's configuration. No `Debug`: it holds the token and the client key.
#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderConfig {
    /// EKS cluster name: hub reads its endpoint and CA and mints tokens.
    pub cluster_name: Tf<String>,
    /// AWS region of the cluster and of IAM calls.
    pub region: Tf<String>,
    /// AWS profile, role to assume and endpoint overrides.
    pub aws: Tf<AwsBlock>,
    /// API server URL, when not using `cluster_name` or a kubeconfig.
    pub host: Tf<String>,
    /// PEM CA bundle for `host`.
    pub cluster_ca_certificate: Tf<String>,
    /// Bearer token for `host` (sensitive).
    pub token: Tf<String>,
    /// PEM client certificate for `host`.
    pub client_certificate: Tf<String>,
    /// PEM client key for `host` (sensitive).
    pub client_key: Tf<String>,
    /// Skip TLS verification of `host` (warned about).
    pub insecure: Tf<bool>,
    /// Kubeconfig file.
    pub config_path: Tf<String>,
    /// Context in the kubeconfig.
    pub config_context: Tf<String>,
}

/// The `aws` nested attribute.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AwsBlock {
    /// Shared-config profile.
    pub profile: Option<String>,
    /// Role to assume first.
    pub assume_role: Option<AssumeRole>,
    /// Endpoint overrides (tests, private endpoints).
    pub endpoints: Option<Endpoints>,
}

/// hub's provider block.
pub struct HubProvider;

#[async_trait]
impl ProviderBlock for HubProvider {
    type Model = ProviderConfig;

    fn schema(&self) -> Schema {
        schema()
    }

    fn validate(&self, config: &ProviderConfig, diags: &mut Diagnostics) {
        validate(config, diags);
    }

    /// Builds the cluster connection and AWS access. Unknown values give `Connection::Unknown`.
    async fn configure(
        &self,
        config: &ProviderConfig,
        known: bool,
        stop: CancellationToken,
    ) -> (ProviderContext, Diagnostics) {
        let aws = std::sync::Arc::new(aws_access(config, known));
        let connection = connect(config, known, &aws).await;
        let mut diags = Diagnostics::new();
        if let Connection::Failed(d) = &connection {
            diags.extend(d.clone());
        }
        let ctx = ProviderContext {
            connection: std::sync::Arc::new(connection),
            stop,
            aws,
            cluster_name: config.cluster_name.get().cloned(),
            ..ProviderContext::default()
        };
        (ctx, diags)
    }
}

/// The provider block's schema.
pub fn schema() -> Schema {
    Schema::new(Block::new(
        "Connects hub to a Kubernetes cluster and to AWS. Set `cluster_name` (and `region`) for an EKS \
         cluster: hub describes it and mints its own EKS token, refreshed during long applies, with no `aws` \
         CLI. Or set `host` with `token` or a client certificate, or `config_path` to use a kubeconfig file. \
         hub never reads `~/.kube/config` or in-cluster credentials unless asked. AWS credentials come from \
         the standard chain (environment, profile, SSO, instance role); `AWS_ENDPOINT_URL` is honoured.",
        vec![
            Attribute::string("cluster_name").validate(validators::eks_cluster_name()).description("EKS cluster name (EKS mode). The endpoint and CA come from `DescribeCluster`; requests carry an in-process EKS token."),
            Attribute::string("region").validate(region_validator()).description("AWS region (default: `AWS_REGION` or the profile's region)."),
            aws_attribute(),
            Attribute::string("host").description("URL of the Kubernetes API server, e.g. `https://ABC.gr7.eu-west-1.eks.amazonaws.com`."),
            Attribute::string("cluster_ca_certificate")
                .description("PEM of the CA that signs the API server's certificate (base64-encoded PEM, as the EKS module outputs it, is accepted too)."),
            Attribute::string("token").sensitive().description("Bearer token for the API server."),
            Attribute::string("client_certificate").description("PEM client certificate for TLS authentication."),
            Attribute::string("client_key").sensitive().description("PEM private key of `client_certificate`."),
            Attribute::bool("insecure").description("Skip verification of the API server's certificate. For local testing only."),
            Attribute::string("config_path").description("Path to a kubeconfig file. Used only when set."),
            Attribute::string("config_context").description("Context in `config_path` to use (default: its current context)."),
        ],
    ))
}

fn aws_attribute() -> Attribute {
    Attribute::nested(
        "aws",
        Nesting::Single,
        vec![
            Attribute::string("profile").description("Named profile from the AWS config files."),
            Attribute::nested(
                "assume_role",
                Nesting::Single,
                vec![
                    Attribute::string("role_arn").required().description("Role to assume."),
                    Attribute::string("session_name").validate(session_name_validator()).description("Session name (default `terraform-provider-hub`)."),
                    Attribute::string("external_id").description("External ID required by the role's trust policy."),
                ],
            )
            .description("Assume this role on top of the base credentials."),
            Attribute::nested(
                "endpoints",
                Nesting::Single,
                vec![
                    Attribute::string("default").description("Endpoint for every AWS service (like `AWS_ENDPOINT_URL`)."),
                    Attribute::string("iam").description("IAM endpoint."),
                    Attribute::string("eks").description("EKS endpoint."),
                    Attribute::string("sts").description("STS endpoint."),
                ],
            )
            .description("Endpoint overrides, e.g. for LocalStack or moto. `AWS_ENDPOINT_URL` and `AWS_ENDPOINT_URL_<SERVICE>` work too."),
        ],
    )
    .description("AWS settings beyond the standard environment: profile, assume-role, endpoint overrides.")
}

/// Why `s` is not an AWS region name (`us-east-1`, `us-gov-west-1`, `eu-central-2`), or `None`.
pub fn region_problem(s: &str) -> Option<&'static str> {
    let parts: Vec<&str> = s.split('-').collect();
    let words_ok = parts.len() >= 3
        && parts[..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase()));
    let number_ok = parts
        .last()
        .is_some_and(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    (!(words_ok && number_ok)).then_some("is not an AWS region name, e.g. \"eu-west-1\"")
}

/// Why `arn` is not an IAM role ARN, or `None`.
pub fn role_arn_problem(arn: &str) -> Option<&'static str> {
    (!(arn.starts_with("arn:aws") && arn.contains(":iam::") && arn.contains(":role/")))
        .then_some("is not an IAM role ARN. Example: \"arn:aws:iam::123456789012:role/deploy\"")
}

/// Why the AWS endpoint `url` (set as `what`) is refused, as a diagnostic's summary and detail, or `None`.
pub fn endpoint_problem(what: &str, url: &str) -> Option<(&'static str, String)> {
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        Some((
            "Invalid Endpoint",
            format!("{what} = {url:?} is not an http(s) URL. Example: \"http://127.0.0.1:5000\"."),
        ))
    } else if is_plain_http_to_remote(url) {
        Some(("Plain-HTTP AWS Endpoint", plain_http_aws_detail(what, url)))
    } else {
        None
    }
}

/// Why `s` is not an STS role session name (2-64 of letters, digits and `+=,.@_-`), or `None`.
pub fn session_name_problem(s: &str) -> Option<&'static str> {
    let ok = (2..=64).contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c));
    (!ok).then_some("is not a role session name: 2 to 64 letters, digits and + = , . @ _ -")
}

fn problem_validator(
    what: &'static str,
    summary: &'static str,
    problem: fn(&str) -> Option<&'static str>,
) -> Validator {
    Validator::new(what, move |v, path, diags| {
        if let Some(s) = v.as_str()
            && let Some(p) = problem(s)
        {
            diags.error_at(path, summary, format!("{path} = {s:?} {p}."));
        }
    })
}

fn region_validator() -> Validator {
    problem_validator("an AWS region", "Invalid Region", region_problem)
}

fn session_name_validator() -> Validator {
    problem_validator("a role session name", "Invalid Session Name", session_name_problem)
}

/// AWS access for this configuration: unknown while any value is unknown, otherwise loaded on first use.
fn aws_access(config: &ProviderConfig, known: bool) -> LazyAws {
    if !known {
        return LazyAws::unknown();
    }
    let aws = config.aws.get().cloned().unwrap_or_default();
    LazyAws::new(AwsSettings {
        region: config.region.get().cloned(),
        profile: aws.profile,
        assume_role: aws.assume_role,
        endpoints: aws.endpoints.unwrap_or_default(),
    })
}

/// Cross-attribute checks of the provider block (values may be unknown).
fn validate(config: &ProviderConfig, diags: &mut Diagnostics) {
    let c = config;
    if c.cluster_name.is_set() && (c.host.is_set() || c.config_path.is_set()) {
        diags.error_at(
            &AttributePath::attr("cluster_name"),
            "Conflicting Connection Settings",
            "Set either `cluster_name` (EKS mode), `host` (with credentials) or `config_path`, not several.",
        );
    }
    let role_path = AttributePath::attr("aws")
        .then_attr("assume_role")
        .then_attr("role_arn");
    let aws = config.aws.get();
    if let Some(arn) = aws.and_then(|a| a.assume_role.as_ref()).map(|r| r.role_arn.as_str())
        && let Some(p) = role_arn_problem(arn)
    {
        diags.error_at(&role_path, "Invalid Role ARN", format!("{role_path} = {arn:?} {p}."));
    }
    let endpoints = AttributePath::attr("aws").then_attr("endpoints");
    let configured = aws.and_then(|a| a.endpoints.clone()).unwrap_or_default();
    for (service, url) in configured.by_service() {
        let path = endpoints.then_attr(service);
        if let Some(url) = url
            && let Some((summary, detail)) = endpoint_problem(&path.to_string(), url)
        {
            diags.error_at(&path, summary, detail);
        }
    }
    if c.insecure.value() == Some(true) {
        diags.warning_at(
            &AttributePath::attr("insecure"),
            "TLS Verification Disabled",
            "insecure = true: hub does not check the API server's certificate, so anything on the network path \
             can pose as the cluster and receive the credentials hub sends. Use it for local testing only; set \
             `cluster_ca_certificate` instead.",
        );
    }
    if let Some(host) = c.host.as_deref()
        && is_plain_http_to_remote(host)
        && (c.token.is_set() || c.client_key.is_set())
    {
        diags.error_at(
            &AttributePath::attr("host"),
            "Credentials Over Plain HTTP",
            format!(
                "host = {host:?} is plain HTTP to a host that is not loopback, so `token` (or the client \
                 certificate's key) would cross the network in clear. Use an https:// URL with \
                 `cluster_ca_certificate`."
            ),
        );
    }
    if c.host.is_set() && c.config_path.is_set() {
        diags.error_at(
            &AttributePath::attr("config_path"),
            "Conflicting Connection Settings",
            "Set either `host` (with credentials) or `config_path`, not both.",
        );
    }
    if let Some(token) = c.token.as_deref()
        && let Some(p) = token_problem(token)
    {
        diags.error_at(&AttributePath::attr("token"), "Invalid Token", format!("token {p}."));
    }
    if c.client_certificate.is_set() != c.client_key.is_set() {
        let missing = if c.client_certificate.is_set() {
            "client_key"
        } else {
            "client_certificate"
        };
        diags.error_at(
            &AttributePath::attr(missing),
            "Incomplete Client Certificate",
            "`client_certificate` and `client_key` must be set together.",
        );
    }
    if c.config_context.is_set() && !c.config_path.is_set() {
        diags.error_at(
            &AttributePath::attr("config_context"),
            "Context Without Kubeconfig",
            "`config_context` selects a context in `config_path`; set `config_path` too.",
        );
    }
    if let Some(host) = c.host.as_deref()
        && host
            .parse::<http::Uri>()
            .map(|u| u.scheme().is_none() || u.host().is_none())
            .unwrap_or(true)
    {
        diags.error_at(
            &AttributePath::attr("host"),
            "Invalid Host",
            format!("host = {host:?} is not a URL. Example: \"https://127.0.0.1:6443\"."),
        );
    }
}

/// Decides the connection from a decoded provider configuration.
async fn connect(config: &ProviderConfig, known: bool, aws: &SharedAws) -> Connection {
    if !known {
        return Connection::Unknown;
    }
    if let Some(cluster) = config.cluster_name.get() {
        return Connection::Kubernetes(crate::k8s::Cluster::new(crate::aws::eks_client::client(
            aws.clone(),
            cluster.clone(),
        )));
    }
    let result = if let Some(host) = config.host.as_deref() {
        explicit(config, host)
    } else if let Some(path) = config.config_path.as_deref() {
        kubeconfig(path, config.config_context.get().cloned()).await
    } else {
        return Connection::Unconfigured;
    };
    match result.and_then(|c| {
        crate::k8s::client(c).map_err(|e| Diagnostics::from_error("Invalid Cluster Connection", e.to_string()))
    }) {
        Ok(client) => Connection::Kubernetes(crate::k8s::Cluster::new(client)),
        Err(diags) => Connection::Failed(diags),
    }
}

fn explicit(config: &ProviderConfig, host: &str) -> Result<kube::Config, Diagnostics> {
    let uri = host
        .parse::<http::Uri>()
        .map_err(|e| Diagnostics::from_error("Invalid Host", format!("host = {host:?} is not a URL: {e}")))?;
    let mut kc = kube::Config::new(uri);
    if let Some(ca) = config.cluster_ca_certificate.as_deref() {
        kc.root_cert = Some(parse_ca(ca)?);
    }
    kc.accept_invalid_certs = config.insecure.value().unwrap_or(false);
    if let Some(token) = config.token.get().cloned() {
        if let Some(p) = token_problem(&token) {
            let mut d = Diagnostics::new();
            d.error_at(&AttributePath::attr("token"), "Invalid Token", format!("token {p}."));
            return Err(d);
        }
        kc.auth_info.token = Some(SecretString::from(token));
    }
    let b64 = base64::engine::general_purpose::STANDARD;
    kc.auth_info.client_certificate_data = config.client_certificate.as_deref().map(|pem| b64.encode(pem));
    kc.auth_info.client_key_data = config
        .client_key
        .as_deref()
        .map(|pem| SecretString::from(b64.encode(pem)));
    Ok(kc)
}

async fn kubeconfig(path: &str, context: Option<String>) -> Result<kube::Config, Diagnostics> {
    let at = AttributePath::attr("config_path");
    let file = kube::config::Kubeconfig::read_from(path).map_err(|e| {
        let mut d = Diagnostics::new();
        d.error_at(&at, "Cannot Read Kubeconfig", format!("{path}: {e}"));
        d
    })?;
    if let Some(wanted) = &context
        && !file.contexts.iter().any(|c| &c.name == wanted)
    {
        let known: Vec<&str> = file.contexts.iter().map(|c| c.name.as_str()).collect();
        let mut d = Diagnostics::new();
        d.error_at(
            &AttributePath::attr("config_context"),
            "Unknown Kubeconfig Context",
            format!(
                "config_context = {wanted:?} is not a context of {path}; it has: {}.",
                known.join(", ")
            ),
        );
        return Err(d);
    }
    let options = kube::config::KubeConfigOptions {
        context,
        ..Default::default()
    };
    let kc = kube::Config::from_custom_kubeconfig(file, &options)
        .await
        .map_err(|e| {
            let mut d = Diagnostics::new();
            d.error_at(&at, "Invalid Kubeconfig", format!("{path}: {e}"));
            d
        })?;
    let sends_credentials = kc.auth_info.token.is_some()
        || kc.auth_info.token_file.is_some()
        || kc.auth_info.exec.is_some()
        || kc.auth_info.client_key.is_some()
        || kc.auth_info.client_key_data.is_some()
        || kc.auth_info.password.is_some();
    if sends_credentials && is_plain_http_to_remote(&kc.cluster_url.to_string()) {
        let mut d = Diagnostics::new();
        d.error_at(
            &at,
            "Credentials Over Plain HTTP",
            format!(
                "{path}: the cluster's server {:?} is plain HTTP to a host that is not loopback, so the user's \
                 credentials would cross the network in clear. Use an https:// server with its CA.",
                kc.cluster_url.to_string()
            ),
        );
        return Err(d);
    }
    if let Some(p) = kc
        .auth_info
        .token
        .as_ref()
        .and_then(|t| token_problem(t.expose_secret()))
    {
        let mut d = Diagnostics::new();
        d.error_at(&at, "Invalid Kubeconfig", format!("{path}: the user's token {p}."));
        return Err(d);
    }
    Ok(kc)
}

/// Why a bearer token cannot go in an `Authorization` header, or `None`. kube panics on such a token when
/// it builds the client, so it is refused first. The message never quotes the token (it is a secret).
fn token_problem(token: &str) -> Option<&'static str> {
    http::HeaderValue::try_from(format!("Bearer {token}"))
        .is_err()
        .then_some(
            "contains a character an HTTP header cannot carry (a line break or another control character; a \
         token read with file() often ends in a newline: use trimspace(file(...)))",
        )
}

/// CA certificates from PEM, or from base64-encoded PEM (the EKS API's `certificateAuthority.data`).
fn parse_ca(text: &str) -> Result<Vec<Vec<u8>>, Diagnostics> {
    let decoded;
    let pem = if text.trim_start().starts_with("-----BEGIN") {
        text.as_bytes()
    } else {
        let compact: String = text.split_whitespace().collect();
        decoded = base64::engine::general_purpose::STANDARD
            .decode(compact)
            .unwrap_or_default();
        &decoded
    };
    let certs: Vec<Vec<u8>> = CertificateDer::pem_slice_iter(pem)
        .filter_map(Result::ok)
        .map(|c| c.as_ref().to_vec())
        .collect();
    if certs.is_empty() {
        let mut d = Diagnostics::new();
        d.error_at(
            &AttributePath::attr("cluster_ca_certificate"),
            "Invalid CA Certificate",
            "cluster_ca_certificate holds no PEM certificate (plain or base64-encoded).",
        );
        return Err(d);
    }
    Ok(certs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Value;

    /// A configuration with these attributes set and the rest null.
    fn config(set: Value) -> ProviderConfig {
        let crate::value::Type::Object(attrs) = schema().implied_type() else {
            unreachable!("the provider block is an object")
        };
        let mut full: std::collections::BTreeMap<String, Value> =
            attrs.keys().map(|k| (k.clone(), Value::Null)).collect();
        full.extend(set.as_map().cloned().unwrap_or_default());
        crate::value::model::from_value(&Value::Object(full)).expect("a valid test configuration")
    }

    #[test]
    fn regions_and_session_names() {
        for ok in ["us-east-1", "us-gov-west-1", "eu-central-2", "ap-southeast-5"] {
            assert_eq!(region_problem(ok), None, "{ok}");
        }
        for bad in ["us east 1", "US-EAST-1", "useast1", "us-east-", "moon"] {
            assert!(region_problem(bad).is_some(), "{bad}");
        }
        assert_eq!(session_name_problem("terraform-provider-hub"), None);
        assert!(session_name_problem("my session").is_some());
        assert!(session_name_problem("x").is_some());
    }

    /// Found by the `handlers` fuzz target: a token with a line break made kube panic in ConfigureProvider.
    #[tokio::test]
    async fn a_token_with_a_line_break_is_refused_not_a_panic() {
        let config = config(Value::object([
            ("host", Value::string("https://127.0.0.1:6443")),
            ("token", Value::string("secret-token\n")),
        ]));
        let Connection::Failed(d) = connect(&config, true, &std::sync::Arc::new(LazyAws::unknown())).await else {
            panic!("a token with a newline must not give a client");
        };
        assert_eq!(d.0[0].path, Some(AttributePath::attr("token")));
        assert!(!d.0[0].detail.contains("secret-token"), "{}", d.0[0].detail);
        let mut diags = Diagnostics::new();
        validate(&config, &mut diags);
        assert_eq!(diags.0.len(), 1, "{:?}", diags.0);
        assert_eq!(diags.0[0].summary, "Invalid Token");
        assert_eq!(token_problem("abc.def-ghi_jkl"), None);
    }

    /// From the security review: credentials are never sent in clear to another machine, and skipping
    /// certificate checks is called out.
    #[test]
    fn credentials_over_plain_http_are_refused_unless_loopback() {
        let problems = |set: Value| {
            let mut diags = Diagnostics::new();
            validate(&config(set), &mut diags);
            diags
                .0
                .iter()
                .map(|d| (d.summary.clone(), d.path.clone(), d.severity))
                .collect::<Vec<_>>()
        };
        let remote = problems(Value::object([
            ("host", Value::string("http://10.1.2.3:8080")),
            ("token", Value::string("t0ken")),
        ]));
        assert_eq!(remote.len(), 1, "{remote:?}");
        assert_eq!(remote[0].0, "Credentials Over Plain HTTP");
        assert_eq!(remote[0].1, Some(AttributePath::attr("host")));
        assert!(
            problems(Value::object([
                ("host", Value::string("http://127.0.0.1:8080")),
                ("token", Value::string("t0ken")),
            ]))
            .is_empty()
        );
        assert!(problems(Value::object([("host", Value::string("http://10.1.2.3:8080"))])).is_empty());
        let endpoint = problems(Value::object([(
            "aws",
            Value::object([(
                "endpoints",
                Value::object([("sts", Value::string("http://sts.internal:80"))]),
            )]),
        )]));
        assert_eq!(endpoint.len(), 1, "{endpoint:?}");
        assert_eq!(endpoint[0].0, "Plain-HTTP AWS Endpoint");
        let insecure = problems(Value::object([
            ("host", Value::string("https://10.1.2.3:6443")),
            ("insecure", Value::Bool(true)),
        ]));
        assert_eq!(insecure.len(), 1, "{insecure:?}");
        assert_eq!(insecure[0].0, "TLS Verification Disabled");
        assert_eq!(insecure[0].2, crate::diag::Severity::Warning);
    }

    #[tokio::test]
    async fn an_unknown_context_is_reported_at_config_context() {
        let path = std::env::temp_dir().join(format!("hub-config-test-{}.kubeconfig", std::process::id()));
        std::fs::write(
            &path,
            "apiVersion: v1\nkind: Config\nclusters: []\nusers: []\ncontexts:\n- name: a\n  context: {cluster: x, user: y}\ncurrent-context: a\n",
        )
        .unwrap();
        let result = kubeconfig(&path.display().to_string(), Some("b".into())).await;
        let _ = std::fs::remove_file(&path);
        let Err(d) = result else {
            panic!("an unknown context must fail");
        };
        assert_eq!(d.0[0].path, Some(AttributePath::attr("config_context")));
        assert!(d.0[0].detail.contains("it has: a."), "{}", d.0[0].detail);
    }
}
