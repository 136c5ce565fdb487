//! Generated client-side files: the admin kubeconfig, the API server's token-webhook kubeconfig, the env
//! file and an AWS shared-config pair, so that `tofu`, the provider, tests and humans all reach the plane
//! the same way.

use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use super::error::{IoContext, Result};
use super::layout::RunDir;
use super::pki::{ADMIN_USER, Pki};
use super::state::RunState;
use super::{ACCESS_KEY_ID, SECRET_ACCESS_KEY};

fn write(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text).ctx(|| format!("writing {}", path.display()))
}

/// Admin kubeconfig with everything inlined (portable, and safe to copy out of the run dir).
pub fn write_admin_kubeconfig(run: &RunDir, state: &RunState, pki: &Pki) -> Result<()> {
    let text = format!(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: {cluster}\n  cluster:\n    server: {server}\n    certificate-authority-data: {ca}\nusers:\n- name: {ADMIN_USER}\n  user:\n    client-certificate-data: {cert}\n    client-key-data: {key}\ncontexts:\n- name: {cluster}\n  context:\n    cluster: {cluster}\n    user: {ADMIN_USER}\n    namespace: default\ncurrent-context: {cluster}\n",
        cluster = state.cluster_name,
        server = state.api_server_url,
        ca = STANDARD.encode(&pki.ca_pem),
        cert = STANDARD.encode(&pki.admin_cert_pem),
        key = STANDARD.encode(&pki.admin_key_pem),
    );
    write(&run.kubeconfig(), &text)
}

/// Kubeconfig-format file telling kube-apiserver where the token webhook is and which CA signs it.
pub fn write_webhook_kubeconfig(run: &RunDir, webhook_port: u16) -> Result<std::path::PathBuf> {
    let path = run.config("token-webhook.kubeconfig");
    let text = format!(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: token-webhook\n  cluster:\n    server: https://127.0.0.1:{webhook_port}/authenticate\n    certificate-authority: {ca}\nusers:\n- name: kube-apiserver\n  user: {{}}\ncontexts:\n- name: webhook\n  context:\n    cluster: token-webhook\n    user: kube-apiserver\ncurrent-context: webhook\n",
        ca = run.pki(super::pki::files::CA_CRT).display(),
    );
    write(&path, &text)?;
    Ok(path)
}

/// Name of the API server's audit policy under `config/`.
pub const AUDIT_POLICY_FILE: &str = "audit-policy.yaml";

/// Audit policy: metadata of every non-read request except the control plane's own chatter (leases,
/// events), so the log stays small and every write a test's provider makes is in it.
const AUDIT_POLICY: &str = "apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages: [\"RequestReceived\"]\nrules:\n- level: None\n  verbs: [\"get\", \"list\", \"watch\"]\n- level: None\n  resources:\n  - group: \"coordination.k8s.io\"\n    resources: [\"leases\"]\n  - group: \"\"\n    resources: [\"events\"]\n  - group: \"events.k8s.io\"\n    resources: [\"events\"]\n- level: Metadata\n";

/// Writes the API server's audit policy.
pub fn write_audit_policy(run: &RunDir) -> Result<()> {
    write(&run.config(AUDIT_POLICY_FILE), AUDIT_POLICY)
}

/// The environment a client of the sandbox needs, as ordered key/value pairs.
pub fn env_vars(run: &RunDir, state: &RunState) -> Vec<(String, String)> {
    let aws = run.config_dir().join("aws");
    [
        ("AWS_ENDPOINT_URL", state.aws_endpoint.clone()),
        ("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID.to_owned()),
        ("AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY.to_owned()),
        ("AWS_REGION", state.region.clone()),
        ("AWS_DEFAULT_REGION", state.region.clone()),
        ("AWS_EC2_METADATA_DISABLED", "true".to_owned()),
        ("AWS_CONFIG_FILE", aws.join("config").display().to_string()),
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            aws.join("credentials").display().to_string(),
        ),
        ("KUBECONFIG", run.kubeconfig().display().to_string()),
        ("HUB_SANDBOX_DIR", run.root().display().to_string()),
        ("HUB_SANDBOX_CLUSTER", state.cluster_name.clone()),
        ("HUB_SANDBOX_ACCOUNT_ID", state.account_id.clone()),
        ("HUB_SANDBOX_API_SERVER", state.api_server_url.clone()),
        ("HUB_SANDBOX_OIDC_ISSUER", state.oidc_issuer.clone()),
        ("HUB_SANDBOX_MOTO_URL", state.moto_url.clone()),
        ("HUB_SANDBOX_FAULTS_URL", state.faults_url.clone()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

/// Writes `sandbox.env` (`KEY=VALUE`, loadable with `set -a; . sandbox.env`) and the AWS config files.
pub fn write_env(run: &RunDir, state: &RunState) -> Result<()> {
    let aws = run.config_dir().join("aws");
    std::fs::create_dir_all(&aws).ctx(|| format!("creating {}", aws.display()))?;
    write(&aws.join("config"), &format!("[default]\nregion = {}\n", state.region))?;
    write(
        &aws.join("credentials"),
        &format!("[default]\naws_access_key_id = {ACCESS_KEY_ID}\naws_secret_access_key = {SECRET_ACCESS_KEY}\n"),
    )?;
    let mut text = String::from("# hub sandbox environment; load with: set -a; . ./sandbox.env; set +a\n");
    for (k, v) in env_vars(run, state) {
        text.push_str(&format!("{k}={v}\n"));
    }
    write(&run.env_file(), &text)
}
