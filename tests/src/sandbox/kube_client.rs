//! `kube` clients for the sandbox: the admin client (from the run's kubeconfig) and clients for an
//! arbitrary HTTPS endpoint signed by the sandbox CA, optionally with a bearer token (EKS tokens, health
//! probes of the webhook and the scheduler). Built from in-memory kubeconfig YAML so the exact same code
//! path as a user's kubeconfig is exercised.

use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use kube::config::{KubeConfigOptions, Kubeconfig};

use super::error::{IoContext, Result};

/// Client using a kubeconfig file (the admin kubeconfig of a run).
pub async fn from_kubeconfig(path: &Path) -> Result<kube::Client> {
    let text = std::fs::read_to_string(path).ctx(|| format!("reading {}", path.display()))?;
    from_yaml(&text).await
}

async fn from_yaml(yaml: &str) -> Result<kube::Client> {
    let kc = Kubeconfig::from_yaml(yaml)?;
    let mut config = kube::Config::from_custom_kubeconfig(kc, &KubeConfigOptions::default()).await?;
    config.connect_timeout = Some(std::time::Duration::from_secs(5));
    config.read_timeout = Some(std::time::Duration::from_secs(30));
    config.reset_reader_on_write = true;
    Ok(kube::Client::try_from(config)?)
}

/// Client for `server` trusting only `ca_pem`, authenticating with `bearer` if given.
pub async fn with_ca(server: &str, ca_pem: &str, bearer: Option<&str>) -> Result<kube::Client> {
    let user = match bearer {
        Some(t) => format!("  user:\n    token: {t}\n"),
        None => "  user: {}\n".to_owned(),
    };
    let yaml = format!(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: {server}\n    certificate-authority-data: {ca}\nusers:\n- name: u\n{user}contexts:\n- name: x\n  context:\n    cluster: c\n    user: u\ncurrent-context: x\n",
        ca = STANDARD.encode(ca_pem),
    );
    from_yaml(&yaml).await
}

/// GET `path` and return the body; any non-2xx is an error string (for health probes).
pub async fn get_text(client: &kube::Client, path: &str) -> Result<String, String> {
    let req = http::Request::get(path).body(Vec::new()).map_err(|e| e.to_string())?;
    client.request_text(req).await.map_err(|e| format!("GET {path}: {e}"))
}
