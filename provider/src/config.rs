//! The provider block: its schema, its validation, and turning it into a cluster connection.
//!
//! Nothing here contacts a server: building a client is offline, so ConfigureProvider is fast and never
//! fails merely because a value is unknown (a cluster created in the same apply).

use base64::Engine;
use rustls_pki_types::{CertificateDer, pem::PemObject};
use secrecy::SecretString;

use crate::diag::Diagnostics;
use crate::framework::Connection;
use crate::schema::{Attribute, Block, Schema};
use crate::value::{AttributePath, Value};

/// The provider block's schema.
pub fn schema() -> Schema {
    Schema::new(Block::new(
        "Connects hub to a Kubernetes cluster. Set `host` with `token` or a client certificate (for \
         example from the EKS module's outputs), or `config_path` to use a kubeconfig file. hub never reads \
         `~/.kube/config` or in-cluster credentials unless asked.",
        vec![
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

/// Cross-attribute checks of the provider block (values may be unknown).
pub fn validate(config: &Value, diags: &mut Diagnostics) {
    let set = |name: &str| config.attr(name).is_some_and(|v| !v.is_null());
    if set("host") && set("config_path") {
        diags.error_at(
            &AttributePath::attr("config_path"),
            "Conflicting Connection Settings",
            "Set either `host` (with credentials) or `config_path`, not both.",
        );
    }
    if set("client_certificate") != set("client_key") {
        let missing = if set("client_certificate") {
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
    if set("config_context") && !set("config_path") {
        diags.error_at(
            &AttributePath::attr("config_context"),
            "Context Without Kubeconfig",
            "`config_context` selects a context in `config_path`; set `config_path` too.",
        );
    }
    if let Some(host) = config.attr("host").and_then(Value::as_str)
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
pub async fn connect(config: &Value) -> Connection {
    if !config.is_wholly_known() {
        return Connection::Unknown;
    }
    let text = |name: &str| config.attr(name).and_then(Value::as_str).map(str::to_owned);
    let result = if let Some(host) = text("host") {
        explicit(config, &host)
    } else if let Some(path) = text("config_path") {
        kubeconfig(&path, text("config_context")).await
    } else {
        return Connection::Unconfigured;
    };
    match result.and_then(|c| {
        kube::Client::try_from(c).map_err(|e| Diagnostics::from_error("Invalid Cluster Connection", e.to_string()))
    }) {
        Ok(client) => Connection::Kubernetes(client),
        Err(diags) => Connection::Failed(diags),
    }
}

fn explicit(config: &Value, host: &str) -> Result<kube::Config, Diagnostics> {
    let text = |name: &str| config.attr(name).and_then(Value::as_str).map(str::to_owned);
    let uri = host
        .parse::<http::Uri>()
        .map_err(|e| Diagnostics::from_error("Invalid Host", format!("host = {host:?} is not a URL: {e}")))?;
    let mut kc = kube::Config::new(uri);
    if let Some(ca) = text("cluster_ca_certificate") {
        kc.root_cert = Some(parse_ca(&ca)?);
    }
    kc.accept_invalid_certs = config.attr("insecure").and_then(Value::as_bool).unwrap_or(false);
    kc.auth_info.token = text("token").map(SecretString::from);
    let b64 = base64::engine::general_purpose::STANDARD;
    kc.auth_info.client_certificate_data = text("client_certificate").map(|pem| b64.encode(pem));
    kc.auth_info.client_key_data = text("client_key").map(|pem| SecretString::from(b64.encode(pem)));
    Ok(kc)
}

async fn kubeconfig(path: &str, context: Option<String>) -> Result<kube::Config, Diagnostics> {
    let at = AttributePath::attr("config_path");
    let file = kube::config::Kubeconfig::read_from(path).map_err(|e| {
        let mut d = Diagnostics::new();
        d.error_at(&at, "Cannot Read Kubeconfig", format!("{path}: {e}"));
        d
    })?;
    let options = kube::config::KubeConfigOptions {
        context,
        ..Default::default()
    };
    kube::Config::from_custom_kubeconfig(file, &options).await.map_err(|e| {
        let mut d = Diagnostics::new();
        d.error_at(&at, "Invalid Kubeconfig", format!("{path}: {e}"));
        d
    })
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
