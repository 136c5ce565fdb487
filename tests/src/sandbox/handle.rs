//! [`Sandbox`]: what a test holds. One plane per test-binary run ([`Sandbox::shared`]), or attach to one
//! started by `make sandbox-up` (`HUB_SANDBOX_DIR`), or own a private one ([`Sandbox::start`], stopped on
//! drop). The handle holds no runtime-bound objects (only paths and state), so it can live in a static
//! and be used from any `#[tokio::test]` runtime; clients are created per call.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use aws_credential_types::Credentials;

use super::eks_token::EksToken;
use super::error::{IoContext, Result, SandboxError};
use super::faults::FaultControl;
use super::files;
use super::kube_client;
use super::launcher::{self, UpOptions};
use super::layout::{RunDir, target_dir};
use super::pki;
use super::process;
use super::scope::Scope;
use super::state::{Component, RunState};
use super::{ACCESS_KEY_ID, SECRET_ACCESS_KEY};

/// A running sandbox plane.
#[derive(Debug)]
pub struct Sandbox {
    run: RunDir,
    state: std::sync::Mutex<RunState>,
    /// Stop the plane when this handle is dropped.
    owned: bool,
}

static SHARED: OnceLock<std::result::Result<Sandbox, String>> = OnceLock::new();

/// Removes run directories of earlier test runs (`test-*`, `lifecycle-*`) that were stopped more than a
/// day ago, so `target/hub-sandbox/` does not grow forever while recent logs stay readable.
fn prune_old_runs(base: &Path) {
    let Ok(entries) = std::fs::read_dir(base) else {
        return;
    };
    let day = std::time::Duration::from_secs(24 * 3600);
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !(name.starts_with("test-") || name.starts_with("lifecycle-")) {
            continue;
        }
        let dir = entry.path();
        let old = std::fs::metadata(dir.join("state.json"))
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > day);
        if old && RunState::load(&dir).is_ok_and(|st| st.stopped) {
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
}

/// Where the `hub-sandbox` binary is: `HUB_SANDBOX_BIN`, this executable if it is `hub-sandbox`, or
/// `target/<profile>/hub-sandbox` next to a test binary in `target/<profile>/deps/`.
pub fn hub_sandbox_bin() -> Result<PathBuf> {
    if let Some(p) = std::env::var_os("HUB_SANDBOX_BIN") {
        return Ok(PathBuf::from(p));
    }
    let exe = std::env::current_exe().ctx(|| "locating the current executable".to_owned())?;
    if exe
        .file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with("hub-sandbox"))
    {
        return Ok(exe);
    }
    let mut candidates = Vec::new();
    if let Some(dir) = exe.parent() {
        candidates.push(dir.join("hub-sandbox"));
        if let Some(up) = dir.parent() {
            candidates.push(up.join("hub-sandbox"));
        }
    }
    candidates.into_iter().find(|c| c.is_file()).ok_or_else(|| {
        SandboxError::Invalid(
            "cannot find the hub-sandbox binary; build it (`cargo build -p hub-acceptance --bin hub-sandbox`) or set HUB_SANDBOX_BIN"
                .to_owned(),
        )
    })
}

impl Sandbox {
    /// The plane shared by every test of this test binary: attaches to `HUB_SANDBOX_DIR` if a plane is
    /// running there, otherwise starts one (once) in `target/hub-sandbox/test-<pid>`. A guard process stops
    /// it when this test binary exits, however it exits. Safe to call from sync or async tests.
    pub fn shared() -> Result<&'static Sandbox> {
        let r = SHARED.get_or_init(|| {
            std::thread::spawn(|| -> Result<Sandbox> {
                if let Some(dir) = std::env::var_os("HUB_SANDBOX_DIR") {
                    return Sandbox::attach(Path::new(&dir));
                }
                let base = target_dir().join("hub-sandbox");
                prune_old_runs(&base);
                let dir = base.join(format!("test-{}", std::process::id()));
                let runtime = tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .enable_all()
                    .build()
                    .ctx(|| "building a tokio runtime".to_owned())?;
                let me = std::process::id();
                let ticks = process::stat(me).map(|s| s.start_ticks).unwrap_or(0);
                let mut sb = runtime.block_on(Sandbox::start_in(&dir, Some((me, ticks))))?;
                // The guard owns the shutdown; a static is never dropped anyway.
                sb.owned = false;
                Ok(sb)
            })
            .join()
            .map_err(|_| "sandbox start-up thread panicked".to_owned())
            .and_then(|r| r.map_err(|e| e.to_string()))
        });
        r.as_ref()
            .map_err(|e| SandboxError::Invalid(format!("shared sandbox failed to start: {e}")))
    }

    /// Starts a private plane in `dir`; it is stopped when the handle is dropped.
    pub async fn start(dir: &Path) -> Result<Sandbox> {
        Self::start_in(dir, None).await
    }

    async fn start_in(dir: &Path, owner: Option<(u32, u64)>) -> Result<Sandbox> {
        let st = launcher::up(&UpOptions {
            dir: dir.to_owned(),
            hub_sandbox_bin: hub_sandbox_bin()?,
            owner,
        })
        .await?;
        Ok(Sandbox {
            run: RunDir::new(&st.dir),
            state: std::sync::Mutex::new(st),
            owned: true,
        })
    }

    /// Attaches to a plane started elsewhere (e.g. `make sandbox-up`); never stops it.
    pub fn attach(dir: &Path) -> Result<Sandbox> {
        let st = RunState::load(dir)?;
        if st.stopped {
            return Err(SandboxError::Invalid(format!(
                "the sandbox in {} was stopped",
                dir.display()
            )));
        }
        let dead: Vec<String> = launcher::status(&st)
            .iter()
            .filter(|c| !c.alive && c.component != Component::Guard)
            .map(|c| c.component.to_string())
            .collect();
        if !dead.is_empty() {
            return Err(SandboxError::Invalid(format!(
                "the sandbox in {} is not healthy: {} not running",
                dir.display(),
                dead.join(", ")
            )));
        }
        Ok(Sandbox {
            run: RunDir::new(&st.dir),
            state: std::sync::Mutex::new(st),
            owned: false,
        })
    }

    /// A snapshot of the run state (ports, URLs, PIDs).
    pub fn state(&self) -> RunState {
        match self.state.lock() {
            Ok(s) => s.clone(),
            Err(p) => p.into_inner().clone(),
        }
    }

    fn refresh(&self) -> Result<()> {
        let st = RunState::load(self.run.root())?;
        match self.state.lock() {
            Ok(mut s) => *s = st,
            Err(p) => *p.into_inner() = st,
        }
        Ok(())
    }

    /// Run directory (logs in `logs/`).
    pub fn dir(&self) -> &Path {
        self.run.root()
    }

    /// Admin kubeconfig path.
    pub fn kubeconfig_path(&self) -> PathBuf {
        self.run.kubeconfig()
    }

    /// Environment for child processes (tofu, the provider): AWS endpoint, credentials, KUBECONFIG, ...
    pub fn env(&self) -> Vec<(String, String)> {
        files::env_vars(&self.run, &self.state())
    }

    /// `https://127.0.0.1:<port>`.
    pub fn api_server_url(&self) -> String {
        self.state().api_server_url
    }

    /// The sandbox CA (PEM) – what EKS DescribeCluster returns, base64-encoded.
    pub fn ca_pem(&self) -> Result<String> {
        let path = self.run.pki(pki::files::CA_CRT);
        std::fs::read_to_string(&path).ctx(|| format!("reading {}", path.display()))
    }

    /// EKS cluster name.
    pub fn cluster_name(&self) -> String {
        self.state().cluster_name
    }

    /// OIDC issuer URL (32 hex characters, like EKS).
    pub fn oidc_issuer(&self) -> String {
        self.state().oidc_issuer
    }

    /// AWS endpoint clients should use (the fault proxy in front of moto).
    pub fn aws_endpoint(&self) -> String {
        self.state().aws_endpoint
    }

    /// moto's own URL (bypasses fault injection).
    pub fn moto_url(&self) -> String {
        self.state().moto_url
    }

    /// Admin Kubernetes client (client certificate, `system:masters`).
    pub async fn kube_client(&self) -> Result<kube::Client> {
        kube_client::from_kubeconfig(&self.run.kubeconfig()).await
    }

    /// A Kubernetes client that authenticates with `bearer` (e.g. an EKS token).
    pub async fn kube_client_with_token(&self, bearer: &str) -> Result<kube::Client> {
        kube_client::with_ca(&self.api_server_url(), &self.ca_pem()?, Some(bearer)).await
    }

    /// AWS SDK config for the sandbox account (through the fault proxy).
    pub async fn aws_config(&self) -> aws_config::SdkConfig {
        self.aws_config_with(Credentials::new(
            ACCESS_KEY_ID,
            SECRET_ACCESS_KEY,
            None,
            None,
            "hub-sandbox",
        ))
        .await
    }

    /// AWS SDK config with specific credentials (e.g. [`Scope::aws_credentials`]).
    pub async fn aws_config_with(&self, creds: Credentials) -> aws_config::SdkConfig {
        let st = self.state();
        aws_config::defaults(aws_config::BehaviorVersion::latest())
            .endpoint_url(st.aws_endpoint)
            .region(aws_config::Region::new(st.region))
            .credentials_provider(creds)
            .load()
            .await
    }

    /// A valid EKS token for the sandbox cluster, signed with the sandbox's dummy credentials.
    pub fn eks_token(&self) -> EksToken {
        let st = self.state();
        EksToken::new(&st.cluster_name, ACCESS_KEY_ID, SECRET_ACCESS_KEY, &st.region)
    }

    /// Control of the AWS fault proxy.
    pub fn faults(&self) -> FaultControl {
        FaultControl::new(self.state().faults_url)
    }

    /// A fresh isolation scope for one test.
    pub fn scope(&self, test_name: &str) -> Scope {
        Scope::new(test_name)
    }

    /// Stops one component (fault hook); see [`Sandbox::start_component`]. Blocking; takes up to ~10 s.
    pub async fn stop_component(&self, c: Component) -> Result<process::Stopped> {
        let dir = self.run.root().to_owned();
        tokio::task::spawn_blocking(move || launcher::stop_component(&dir, c))
            .await
            .map_err(|e| SandboxError::Invalid(format!("stop task failed: {e}")))?
    }

    /// Starts a stopped component again with the same flags, ports and data, and waits until healthy.
    pub async fn start_component(&self, c: Component) -> Result<()> {
        launcher::start_component(self.run.root(), c).await?;
        self.refresh()
    }

    /// Stop then start.
    pub async fn restart_component(&self, c: Component) -> Result<()> {
        self.stop_component(c).await?;
        self.start_component(c).await
    }

    /// Wipes all AWS state (`/moto-api/reset`); the sandbox cluster and its OIDC provider are re-created
    /// at once. Affects every test using this plane – prefer [`Scope`] names in parallel tests.
    pub async fn reset_aws(&self) -> Result<()> {
        let url = format!("{}/moto-api/reset", self.moto_url());
        let r = super::httpc::send(
            http::Method::POST,
            &url,
            &[],
            Vec::new(),
            std::time::Duration::from_secs(10),
        )
        .await?;
        if r.status.is_success() {
            Ok(())
        } else {
            Err(SandboxError::Http {
                method: "POST".to_owned(),
                url,
                message: r.status.to_string(),
            })
        }
    }

    /// Stops the plane (all components, by PID) and checks nothing is left running or listening.
    pub fn down(&self) -> Result<launcher::DownReport> {
        launcher::down(self.run.root(), None)
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if self.owned
            && let Err(e) = launcher::down(self.run.root(), None)
        {
            eprintln!("hub-sandbox: stopping {} failed: {e}", self.run.root().display());
        }
    }
}
