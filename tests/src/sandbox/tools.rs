//! Finds the control-plane binaries through `tests/tools/build.sh`, which builds a tool on first use and
//! afterwards just prints its cached directory (`~/.cache/hub/tools/<name>-<version>/`). Going through the
//! script keeps one source of truth for versions and cache keys.

use std::path::PathBuf;
use std::process::{Command, Stdio};

use super::error::{Result, SandboxError};
use super::layout::tools_dir;

/// Directories of the tools the plane needs.
#[derive(Debug, Clone)]
pub struct Tools {
    /// Contains `etcd`.
    pub etcd: PathBuf,
    /// Contains `kube-apiserver`, `kube-controller-manager`, `kube-scheduler`.
    pub kube: PathBuf,
    /// Contains `kwok` and `stages/` (kwok's upstream Stage YAMLs).
    pub kwok: PathBuf,
    /// A virtualenv with `moto[server]` (`bin/python`).
    pub moto: PathBuf,
}

impl Tools {
    /// Resolves (building if needed, sequentially: parallel Go builds on 2 cores only contend) all tools.
    pub fn ensure() -> Result<Self> {
        Ok(Self {
            etcd: ensure_tool("etcd")?,
            kube: ensure_tool("kube")?,
            kwok: ensure_tool("kwok")?,
            moto: ensure_tool("moto")?,
        })
    }
}

/// Runs `build.sh <tool>` and returns the directory it prints. Build progress goes to our stderr.
pub fn ensure_tool(tool: &str) -> Result<PathBuf> {
    let script = tools_dir().join("build.sh");
    let fail = |message: String| SandboxError::ToolBuild {
        tool: tool.to_owned(),
        script: script.clone(),
        message,
    };
    let out = Command::new("bash")
        .arg(&script)
        .arg(tool)
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| fail(format!("could not run bash: {e}")))?;
    if !out.status.success() {
        return Err(fail(format!("exited with {}", out.status)));
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    let dir = stdout
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .map(|l| PathBuf::from(l.trim()))
        .ok_or_else(|| fail("printed no directory".to_owned()))?;
    if !dir.is_dir() {
        return Err(fail(format!("printed {}, which is not a directory", dir.display())));
    }
    Ok(dir)
}
