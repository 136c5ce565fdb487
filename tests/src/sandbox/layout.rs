//! Where every file of one sandbox run lives. The run directory is kept after `down` and after a failing
//! test, so its logs can be read; only the etcd data (on tmpfs when available) is removed.

use std::path::{Path, PathBuf};

use super::error::{IoContext, Result};

/// Paths of one sandbox run directory.
#[derive(Debug, Clone)]
pub struct RunDir {
    root: PathBuf,
}

impl RunDir {
    /// Wraps an existing or future run directory.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// Creates the directory tree.
    pub fn create(&self) -> Result<()> {
        for d in [self.root.clone(), self.pki_dir(), self.config_dir(), self.logs_dir()] {
            std::fs::create_dir_all(&d).ctx(|| format!("creating {}", d.display()))?;
        }
        Ok(())
    }

    /// The run directory itself.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// JSON state: ports, PIDs, command lines.
    pub fn state_file(&self) -> PathBuf {
        self.root.join("state.json")
    }

    /// `KEY=VALUE` lines for tools (AWS endpoint, credentials, KUBECONFIG, ...).
    pub fn env_file(&self) -> PathBuf {
        self.root.join("sandbox.env")
    }

    /// Admin kubeconfig (client certificate in `system:masters`).
    pub fn kubeconfig(&self) -> PathBuf {
        self.root.join("kubeconfig")
    }

    /// Certificates and keys.
    pub fn pki_dir(&self) -> PathBuf {
        self.root.join("pki")
    }

    /// Generated configuration files for the components.
    pub fn config_dir(&self) -> PathBuf {
        self.root.join("config")
    }

    /// One log file per component.
    pub fn logs_dir(&self) -> PathBuf {
        self.root.join("logs")
    }

    /// Log file of a component.
    pub fn log(&self, component: &str) -> PathBuf {
        self.logs_dir().join(format!("{component}.log"))
    }

    /// The API server's audit log (JSON lines; non-read requests only, see `files::write_audit_policy`).
    pub fn audit_log(&self) -> PathBuf {
        self.logs_dir().join("kube-apiserver-audit.jsonl")
    }

    /// moto's request recording (JSON lines), written while recording is started through `/moto-api/recorder`.
    pub fn moto_recording(&self) -> PathBuf {
        self.logs_dir().join("moto-recording.jsonl")
    }

    /// A file under `pki/`.
    pub fn pki(&self, name: &str) -> PathBuf {
        self.pki_dir().join(name)
    }

    /// A file under `config/`.
    pub fn config(&self, name: &str) -> PathBuf {
        self.config_dir().join(name)
    }
}

/// Where etcd keeps its data: tmpfs if present (fast, and fsync is off anyway), else inside the run dir.
pub fn etcd_data_dir(run: &RunDir, run_id: &str) -> PathBuf {
    let shm = Path::new("/dev/shm");
    if shm.is_dir() && writable(shm) {
        shm.join(format!("hub-sandbox-{run_id}")).join("etcd")
    } else {
        run.root().join("etcd-data")
    }
}

fn writable(dir: &Path) -> bool {
    let probe = dir.join(format!(".hub-sandbox-probe-{}", std::process::id()));
    let ok = std::fs::write(&probe, b"").is_ok();
    let _ = std::fs::remove_file(&probe);
    ok
}

/// The Cargo target directory of this workspace (for default run directories).
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(d) => PathBuf::from(d),
        None => match Path::new(env!("CARGO_MANIFEST_DIR")).parent() {
            Some(workspace) => workspace.join("target"),
            None => PathBuf::from("target"),
        },
    }
}

/// Default run directory of the CLI (`hub-sandbox up` without `--dir`).
pub fn default_cli_dir() -> PathBuf {
    match std::env::var_os("HUB_SANDBOX_DIR") {
        Some(d) => PathBuf::from(d),
        None => target_dir().join("hub-sandbox").join("cli"),
    }
}

/// `tests/tools`, where build.sh and the moto launcher live.
pub fn tools_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tools")
}
