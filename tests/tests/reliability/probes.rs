//! Where a scenario is in the middle of an apply: API writes into the test namespace so far (the API
//! server's audit log), AWS writes so far (moto's request recording), and the provider process among the
//! CLI's process group.

use std::io::{Read as _, Seek as _, SeekFrom};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use hub_acceptance::sandbox::layout::RunDir;
use hub_acceptance::sandbox::writes::aws_write;
use hub_acceptance::sandbox::{Sandbox, WriteWatch};
use hub_acceptance::support::{block_on, err};
use hub_acceptance::tf::{self, Running};
use serde_json::Value;

/// User agents of the plane's own components (their writes are not hub's).
const PLANE_AGENTS: &[&str] = &[
    "kube-controller-manager/",
    "kube-scheduler/",
    "kwok/",
    "kube-apiserver/",
];

/// Counts writes as they happen.
pub(crate) struct WriteCounter {
    audit: PathBuf,
    audit_offset: u64,
    recording: PathBuf,
    namespace: String,
    watch: Option<WriteWatch>,
}

impl WriteCounter {
    /// Writes so far to AWS (`aws`) or to the API server.
    pub(crate) fn writes(&self, aws: bool) -> usize {
        if aws { self.aws_writes() } else { self.api_writes() }
    }

    /// Starts counting now (and restarts moto's recording).
    pub fn start(sb: &Sandbox, namespace: &str) -> tf::Result<Self> {
        let audit = sb.audit_log_path();
        let audit_offset = std::fs::metadata(&audit).map(|m| m.len()).unwrap_or(0);
        let watch = block_on(sb.watch_writes()).map_err(err)?;
        Ok(Self {
            audit,
            audit_offset,
            recording: RunDir::new(sb.dir()).moto_recording(),
            namespace: namespace.to_owned(),
            watch: Some(watch),
        })
    }

    fn read(path: &PathBuf, offset: u64) -> String {
        let Ok(mut f) = std::fs::File::open(path) else {
            return String::new();
        };
        let len = f.metadata().map(|m| m.len()).unwrap_or(0);
        let _ = f.seek(SeekFrom::Start(if len < offset { 0 } else { offset }));
        let mut text = String::new();
        let _ = f.read_to_string(&mut text);
        text
    }

    /// Non-read API requests by a client other than the plane into the namespace (or on it), by status.
    pub fn api_events(&self) -> Vec<(String, u64)> {
        Self::read(&self.audit, self.audit_offset)
            .lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .filter(|e| e["stage"] == "ResponseComplete")
            .filter(|e| !matches!(e["verb"].as_str(), Some("get" | "list" | "watch") | None))
            .filter(|e| {
                let agent = e["userAgent"].as_str().unwrap_or_default();
                !PLANE_AGENTS.iter().any(|a| agent.starts_with(a))
            })
            .filter(|e| {
                let o = &e["objectRef"];
                o["namespace"] == self.namespace.as_str()
                    || (o["resource"] == "namespaces" && o["name"] == self.namespace.as_str())
            })
            .map(|e| {
                (
                    e["user"]["username"].as_str().unwrap_or_default().to_owned(),
                    e["responseStatus"]["code"].as_u64().unwrap_or(0),
                )
            })
            .collect()
    }

    /// Successful API writes so far.
    pub fn api_writes(&self) -> usize {
        self.api_events().iter().filter(|(_, code)| *code < 300).count()
    }

    /// AWS writes moto has recorded so far (all of them: the scenarios run one at a time).
    pub fn aws_writes(&self) -> usize {
        Self::read(&self.recording, 0).lines().filter_map(aws_write).count()
    }

    /// Stops moto's recording.
    pub fn finish(mut self, sb: &Sandbox) {
        if let Some(w) = self.watch.take() {
            let _ = block_on(sb.writes_since(w));
        }
    }
}

/// Waits until `count()` reaches `k` (polling every 20 ms), the CLI ends, or `timeout`. Returns whether
/// `k` was reached.
pub(crate) fn wait_for(running: &Running, k: usize, timeout: Duration, count: impl Fn() -> usize) -> bool {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if count() >= k {
            return true;
        }
        if !alive(running.pid()) {
            return false;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

/// Waits until the apply has made `k` writes to AWS (`aws`) or to the API server; fails if it ends (or
/// stalls for 5 minutes) first.
pub(crate) fn wait_for_writes(running: &Running, counter: &WriteCounter, k: usize, aws: bool) -> tf::Result<()> {
    let count = || {
        if aws {
            counter.aws_writes()
        } else {
            counter.api_writes()
        }
    };
    if wait_for(running, k, Duration::from_secs(300), count) {
        Ok(())
    } else {
        Err(tf::Error::assertion(format!(
            "the apply ended (or stalled) before {k} writes; it made {}",
            count()
        )))
    }
}

pub(crate) fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map(|s| !s.rsplit(')').next().unwrap_or_default().trim_start().starts_with('Z'))
        .unwrap_or(false)
}

/// PIDs of the processes in the CLI's process group whose name starts with `terraform-provi` (the kernel
/// keeps 15 characters of `terraform-provider-hub`).
pub(crate) fn provider_pids(running: &Running) -> Vec<u32> {
    let group = running.pid();
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
                return false;
            };
            let Some((head, rest)) = stat.rsplit_once(')') else {
                return false;
            };
            let name = head.split_once('(').map_or("", |(_, n)| n);
            // Fields after the name: state, ppid, pgrp.
            let pgrp = rest.split_whitespace().nth(2).and_then(|p| p.parse::<u32>().ok());
            name.starts_with("terraform-provi") && pgrp == Some(group)
        })
        .collect()
}
