//! Starting and stopping component processes by PID.
//!
//! Every component runs in its own process group (so a signal reaches anything it forks, and a Ctrl-C
//! in the terminal that ran `hub-sandbox up` does not take the plane down). We remember the PID *and*
//! the kernel start time of the process: a PID read back from `state.json` is only signalled if it
//! still names the same process, never a recycled PID. Nothing is ever killed by name.

use std::fs::OpenOptions;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rustix::process::{Pid, Signal};
use serde::{Deserialize, Serialize};

use super::error::{IoContext, Result, SandboxError};

/// How to (re)start a component: enough to restart it later with the same flags, ports and data.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProcessSpec {
    /// Component name (`etcd`, `kube-apiserver`, ...).
    pub name: String,
    /// Executable.
    pub program: PathBuf,
    /// Arguments.
    pub args: Vec<String>,
    /// Extra environment variables (the rest is inherited).
    pub env: Vec<(String, String)>,
    /// Log file (stdout and stderr, appended).
    pub log: PathBuf,
}

/// A running (or formerly running) component.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProcessRecord {
    /// How it was started.
    pub spec: ProcessSpec,
    /// Its PID, also its process-group ID.
    pub pid: u32,
    /// Start time in clock ticks since boot (`/proc/<pid>/stat` field 22), to detect PID reuse.
    pub start_ticks: u64,
}

/// Children spawned by this process, kept so they can be reaped (no zombies while a test binary runs).
static CHILDREN: Mutex<Vec<Child>> = Mutex::new(Vec::new());

/// Starts a component in its own process group with output appended to its log.
pub fn spawn(spec: &ProcessSpec) -> Result<ProcessRecord> {
    let mut log = OpenOptions::new()
        .create(true)
        .append(true)
        .open(&spec.log)
        .ctx(|| format!("opening log {}", spec.log.display()))?;
    let stamp = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    writeln!(
        log,
        "=== {stamp} hub-sandbox starting {} {}",
        spec.program.display(),
        spec.args.join(" ")
    )
    .ctx(|| format!("writing log {}", spec.log.display()))?;
    let err_log = log.try_clone().ctx(|| "duplicating log handle".to_owned())?;
    let mut cmd = Command::new(&spec.program);
    cmd.args(&spec.args)
        .envs(spec.env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(err_log);
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    let child = cmd
        .spawn()
        .ctx(|| format!("starting {} ({})", spec.name, spec.program.display()))?;
    let pid = child.id();
    let start_ticks = stat(pid).map(|s| s.start_ticks).unwrap_or(0);
    if let Ok(mut children) = CHILDREN.lock() {
        children.push(child);
    }
    Ok(ProcessRecord {
        spec: spec.clone(),
        pid,
        start_ticks,
    })
}

/// The fields of `/proc/<pid>/stat` we need.
#[derive(Debug, Clone, Copy)]
pub struct Stat {
    /// Process state letter (R, S, D, Z, ...).
    pub state: char,
    /// Process group.
    pub pgrp: u32,
    /// Start time in clock ticks since boot.
    pub start_ticks: u64,
}

/// Reads `/proc/<pid>/stat`; `None` if there is no such process.
pub fn stat(pid: u32) -> Option<Stat> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // "pid (comm) state ppid pgrp ... starttime" – comm may contain spaces or parentheses.
    let rest = &text[text.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    Some(Stat {
        state: fields.first()?.chars().next()?,
        pgrp: fields.get(2)?.parse().ok()?,
        start_ticks: fields.get(19)?.parse().ok()?,
    })
}

/// Collects exit statuses of our own finished children.
fn reap() {
    if let Ok(mut children) = CHILDREN.lock() {
        children.retain_mut(|c| !matches!(c.try_wait(), Ok(Some(_))));
    }
}

/// Exit status of a child of ours that has exited (for error messages).
pub fn exit_status(pid: u32) -> Option<String> {
    let mut children = CHILDREN.lock().ok()?;
    let child = children.iter_mut().find(|c| c.id() == pid)?;
    match child.try_wait() {
        Ok(Some(status)) => Some(status.to_string()),
        _ => None,
    }
}

/// Whether the recorded process is still the same, live (non-zombie) process.
pub fn is_alive(rec: &ProcessRecord) -> bool {
    reap();
    match stat(rec.pid) {
        None => false,
        Some(s) => s.state != 'Z' && (rec.start_ticks == 0 || s.start_ticks == rec.start_ticks),
    }
}

/// Live processes in process group `pgid` (the component and anything it forked).
pub fn group_members(pgid: u32) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| matches!(stat(*pid), Some(s) if s.pgrp == pgid && s.state != 'Z'))
        .collect()
}

/// What [`stop`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stopped {
    /// It had already exited.
    AlreadyGone,
    /// It exited after SIGTERM.
    Terminated,
    /// It needed SIGKILL.
    Killed,
}

fn signal_group(pid: u32, sig: Signal) {
    let Some(p) = i32::try_from(pid).ok().and_then(Pid::from_raw) else {
        return;
    };
    if rustix::process::kill_process_group(p, sig).is_err() {
        let _ = rustix::process::kill_process(p, sig);
    }
}

fn wait_gone(rec: &ProcessRecord, timeout: Duration) -> bool {
    let deadline = Instant::now() + timeout;
    loop {
        let leader_gone = !is_alive(rec);
        if leader_gone && group_members(rec.pid).is_empty() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// Whether signalling process group `rec.pid` can only reach processes we started: either the leader is
/// still the process we recorded, or no process has that PID any more (Linux does not hand out a PID
/// while a process group of that ID still has members, so the members are the leader's descendants).
fn owns_group(rec: &ProcessRecord) -> bool {
    match stat(rec.pid) {
        None => true,
        Some(s) => rec.start_ticks == 0 || s.start_ticks == rec.start_ticks,
    }
}

/// Stops a component: SIGTERM to its process group, then SIGKILL after `grace`.
pub fn stop(rec: &ProcessRecord, grace: Duration) -> Result<Stopped> {
    if !owns_group(rec) || (!is_alive(rec) && group_members(rec.pid).is_empty()) {
        return Ok(Stopped::AlreadyGone);
    }
    signal_group(rec.pid, Signal::TERM);
    if wait_gone(rec, grace) {
        return Ok(Stopped::Terminated);
    }
    if owns_group(rec) {
        signal_group(rec.pid, Signal::KILL);
    }
    if wait_gone(rec, Duration::from_secs(5)) {
        return Ok(Stopped::Killed);
    }
    Err(SandboxError::Stop {
        component: rec.spec.name.clone(),
        pid: rec.pid,
        message: "still alive after SIGKILL".to_owned(),
    })
}

/// Resident set size of a process in KiB (`VmRSS`), if it is alive.
pub fn rss_kib(pid: u32) -> Option<u64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = text.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Last `n` lines of a log file (for error messages).
pub fn log_tail(path: &Path, n: usize) -> String {
    match std::fs::read(path) {
        Ok(bytes) => {
            let text = String::from_utf8_lossy(&bytes);
            let lines: Vec<&str> = text.lines().collect();
            lines[lines.len().saturating_sub(n)..].join("\n")
        }
        Err(e) => format!("(cannot read log: {e})"),
    }
}
