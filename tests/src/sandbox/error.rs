//! One error type for the whole sandbox, so that a failing test says *which* part of the plane broke
//! (a component that did not come up names itself and shows the tail of its log).

use std::path::PathBuf;

/// Everything that can go wrong while starting, using or stopping the sandbox.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    /// Filesystem or socket error, with what we were doing.
    #[error("{context}: {source}")]
    Io {
        /// What the launcher was doing.
        context: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// `tests/tools/build.sh` failed or printed no directory.
    #[error("building tool `{tool}` with {script} failed: {message}")]
    ToolBuild {
        /// Tool name as understood by build.sh.
        tool: String,
        /// Path of build.sh.
        script: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// A component did not become healthy in time (or exited early).
    #[error(
        "sandbox component `{component}` did not come up within {waited_secs:.1} s: {reason}\n--- last lines of {} ---\n{log_tail}",
        log.display()
    )]
    NotReady {
        /// Component name (etcd, kube-apiserver, moto, ...).
        component: String,
        /// How long we waited.
        waited_secs: f64,
        /// Last probe failure or exit status.
        reason: String,
        /// Log file of the component.
        log: PathBuf,
        /// Last lines of that log.
        log_tail: String,
    },
    /// Certificate generation failed.
    #[error("certificate generation failed: {0}")]
    Pki(#[from] rcgen::Error),
    /// Kubernetes client error.
    #[error("kubernetes API: {0}")]
    Kube(#[from] kube::Error),
    /// Kubeconfig could not be loaded.
    #[error("kubeconfig: {0}")]
    Kubeconfig(#[from] kube::config::KubeconfigError),
    /// JSON (state file, control API) error.
    #[error("{context}: {source}")]
    Json {
        /// What was being (de)serialised.
        context: String,
        /// The underlying error.
        #[source]
        source: serde_json::Error,
    },
    /// An HTTP call to a sandbox component failed.
    #[error("HTTP {method} {url}: {message}")]
    Http {
        /// Request method.
        method: String,
        /// Request URL.
        url: String,
        /// What went wrong.
        message: String,
    },
    /// The run directory has no (readable) state: nothing is running there.
    #[error("no sandbox state in {0} (is the sandbox up? run `hub-sandbox up`)")]
    NoState(PathBuf),
    /// A process could not be stopped.
    #[error("could not stop {component} (pid {pid}): {message}")]
    Stop {
        /// Component name.
        component: String,
        /// Its PID.
        pid: u32,
        /// What went wrong.
        message: String,
    },
    /// `down` found something of ours still alive or listening.
    #[error("sandbox left things behind: {0}")]
    Leftovers(String),
    /// Bad input (CLI flags, unknown component name, fault rates out of range, ...).
    #[error("{0}")]
    Invalid(String),
    /// Minting an EKS token failed.
    #[error("signing an EKS token: {0}")]
    Signing(String),
}

/// Result alias used throughout the sandbox.
pub type Result<T, E = SandboxError> = std::result::Result<T, E>;

impl SandboxError {
    /// Wraps an I/O error with context.
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Self::Io {
            context: context.into(),
            source,
        }
    }

    /// Wraps a JSON error with context.
    pub fn json(context: impl Into<String>, source: serde_json::Error) -> Self {
        Self::Json {
            context: context.into(),
            source,
        }
    }
}

/// Adds context to `std::io::Result`s.
pub trait IoContext<T> {
    /// Maps an I/O error to [`SandboxError::Io`] with a lazily built context string.
    fn ctx<F: FnOnce() -> String>(self, f: F) -> Result<T>;
}

impl<T> IoContext<T> for std::io::Result<T> {
    fn ctx<F: FnOnce() -> String>(self, f: F) -> Result<T> {
        self.map_err(|e| SandboxError::io(f(), e))
    }
}
