//! `state.json` of a run: ports, URLs, and the PID + command line of every component. It lets a different
//! process (`hub-sandbox down`, a test binary attaching to a plane started by `make sandbox-up`, the guard)
//! find, restart and stop exactly the processes this run started.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::error::{IoContext, Result, SandboxError};
use super::process::ProcessRecord;

/// The components of the plane, in start order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Component {
    /// etcd, the API server's storage.
    Etcd,
    /// The AWS stand-in (moto, patched by tests/tools/moto/sandbox_moto.py).
    Moto,
    /// Fault-injecting proxy in front of moto; `AWS_ENDPOINT_URL` points here.
    AwsProxy,
    /// EKS token webhook the API server calls for `k8s-aws-v1.` bearer tokens.
    TokenWebhook,
    /// kube-apiserver.
    KubeApiserver,
    /// kube-controller-manager.
    KubeControllerManager,
    /// kube-scheduler.
    KubeScheduler,
    /// kwok, which plays kubelet for the fake nodes.
    Kwok,
    /// Stops the plane when the process that started it (a test binary) exits.
    Guard,
}

impl Component {
    /// All components in start order.
    pub const ALL: [Component; 9] = [
        Component::Etcd,
        Component::Moto,
        Component::AwsProxy,
        Component::TokenWebhook,
        Component::KubeApiserver,
        Component::KubeControllerManager,
        Component::KubeScheduler,
        Component::Kwok,
        Component::Guard,
    ];

    /// Name used in logs, state and the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            Component::Etcd => "etcd",
            Component::Moto => "moto",
            Component::AwsProxy => "aws-proxy",
            Component::TokenWebhook => "token-webhook",
            Component::KubeApiserver => "kube-apiserver",
            Component::KubeControllerManager => "kube-controller-manager",
            Component::KubeScheduler => "kube-scheduler",
            Component::Kwok => "kwok",
            Component::Guard => "guard",
        }
    }

    /// Parses a name as printed by [`Component::as_str`].
    pub fn parse(name: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|c| c.as_str() == name)
            .ok_or_else(|| SandboxError::Invalid(format!("unknown sandbox component `{name}`")))
    }
}

impl std::fmt::Display for Component {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

/// Ports chosen at `up` time; restarts reuse them.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Ports {
    /// etcd client port.
    pub etcd_client: u16,
    /// etcd peer port.
    pub etcd_peer: u16,
    /// kube-apiserver secure port.
    pub api_server: u16,
    /// kube-scheduler secure (health) port.
    pub scheduler: u16,
    /// kwok's server (health/metrics).
    pub kwok: u16,
    /// moto, direct.
    pub moto: u16,
    /// Fault proxy in front of moto (the AWS endpoint everyone uses).
    pub aws_proxy: u16,
    /// Control API of the fault proxy.
    pub faults_control: u16,
    /// Token webhook (HTTPS).
    pub webhook: u16,
}

impl Ports {
    /// All ports, for the "nothing left listening" check.
    pub fn all(&self) -> Vec<u16> {
        vec![
            self.etcd_client,
            self.etcd_peer,
            self.api_server,
            self.scheduler,
            self.kwok,
            self.moto,
            self.aws_proxy,
            self.faults_control,
            self.webhook,
        ]
    }
}

/// One component's record in the state file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ComponentState {
    /// Which component.
    pub component: Component,
    /// Its current process.
    pub process: ProcessRecord,
}

/// Everything about one run.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunState {
    /// Unique run ID (also names the tmpfs data dir).
    pub run_id: String,
    /// Run directory.
    pub dir: PathBuf,
    /// Ports.
    pub ports: Ports,
    /// EKS cluster name moto describes.
    pub cluster_name: String,
    /// AWS region.
    pub region: String,
    /// AWS account of the dummy credentials.
    pub account_id: String,
    /// OIDC issuer URL of the cluster (also the service-account issuer of the API server).
    pub oidc_issuer: String,
    /// `https://127.0.0.1:<port>`.
    pub api_server_url: String,
    /// AWS endpoint for clients: the fault proxy.
    pub aws_endpoint: String,
    /// moto without the proxy.
    pub moto_url: String,
    /// Control API of the fault proxy.
    pub faults_url: String,
    /// etcd data directory (removed by `down`).
    pub etcd_data_dir: PathBuf,
    /// Components, in start order.
    pub components: Vec<ComponentState>,
    /// Seconds from the start of `up` until the plane was ready.
    pub ready_after_secs: Option<f64>,
    /// Set once `down` has stopped everything.
    pub stopped: bool,
}

impl RunState {
    /// Loads `state.json` from a run directory.
    pub fn load(dir: &Path) -> Result<Self> {
        let path = dir.join("state.json");
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(SandboxError::NoState(dir.to_owned()));
            }
            Err(e) => return Err(SandboxError::io(format!("reading {}", path.display()), e)),
        };
        serde_json::from_str(&text).map_err(|e| SandboxError::json(format!("parsing {}", path.display()), e))
    }

    /// Writes `state.json` atomically (write + rename), so readers never see half a file.
    pub fn save(&self) -> Result<()> {
        let path = self.dir.join("state.json");
        let tmp = self.dir.join(format!(".state.json.{}", std::process::id()));
        let text =
            serde_json::to_string_pretty(self).map_err(|e| SandboxError::json("serialising sandbox state", e))?;
        std::fs::write(&tmp, text).ctx(|| format!("writing {}", tmp.display()))?;
        std::fs::rename(&tmp, &path).ctx(|| format!("renaming {} to {}", tmp.display(), path.display()))
    }

    /// The current process of a component.
    pub fn process(&self, c: Component) -> Option<&ProcessRecord> {
        self.components.iter().find(|s| s.component == c).map(|s| &s.process)
    }

    /// Records (or replaces, after a restart) a component's process.
    pub fn set_process(&mut self, c: Component, process: ProcessRecord) {
        match self.components.iter_mut().find(|s| s.component == c) {
            Some(s) => s.process = process,
            None => self.components.push(ComponentState { component: c, process }),
        }
    }
}
