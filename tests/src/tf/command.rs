//! Running a CLI as a child process: each run is its own process group (so a timeout or an interrupt
//! reaches the provider plugins too), stdout and stderr are collected line by line by reader threads, and
//! waiting is driven by channel events, never by sleeping.

use std::fmt;
use std::io::{BufRead, BufReader, Read};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;

use super::diag::Diagnostics;
use super::error::{Error, Result};
use super::secrets_sweep::Sweep;

/// What a finished command printed, and how it ended.
#[derive(Clone)]
pub struct Output {
    /// The command line, for messages (`tofu plan -json …` plus the CLI's version).
    pub command: String,
    /// The exit code; `None` when the process was ended by a signal.
    pub code: Option<i32>,
    /// Everything written to stdout.
    pub stdout: String,
    /// Everything written to stderr.
    pub stderr: String,
}

/// Text that, anywhere in a CLI's output, means the provider crashed or broke the plugin protocol rather
/// than reporting a proper diagnostic.
pub const CRASH_MARKERS: &[&str] = &[
    "panic:",
    "Plugin did not respond",
    "The plugin encountered an error",
    "rpc error:",
    "transport is closing",
    "plugin exited before we could connect",
    "Failed to load plugin schemas",
    "failed to instantiate provider",
    "Unrecognized remote plugin message",
    "unexpected EOF",
    // hub's own invariant failures (`Diagnostics::bug`): bad input must never be reported as hub's bug.
    "This is a bug in the hub provider",
];

impl Output {
    /// Whether the command exited with status 0.
    pub fn success(&self) -> bool {
        self.code == Some(0)
    }

    /// `Ok(self)` if the command succeeded, else [`Error::Command`].
    pub fn ok(self) -> Result<Self> {
        if self.success() {
            Ok(self)
        } else {
            Err(Error::Command(Box::new(self)))
        }
    }

    /// `Ok(self)` if the command failed, else [`Error::UnexpectedSuccess`].
    pub fn failed(self) -> Result<Self> {
        if self.success() {
            Err(Error::UnexpectedSuccess(Box::new(self)))
        } else {
            Ok(self)
        }
    }

    /// The JSON objects of a `-json` streaming UI (`plan -json`, `apply -json`, …), one per stdout line;
    /// lines that are not JSON are skipped.
    pub fn json_lines(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect()
    }

    /// stdout parsed as one JSON document (`validate -json`, `show -json`, `providers schema -json`).
    pub fn json(&self) -> Result<Value> {
        serde_json::from_str(&self.stdout).map_err(|source| Error::Json {
            command: self.command.clone(),
            source,
        })
    }

    /// The diagnostics the command reported: the `diagnostics` array of a `validate -json` document, or
    /// every `"type": "diagnostic"` message of a streaming `-json` UI. Empty for human-readable output.
    pub fn diagnostics(&self) -> Diagnostics {
        if let Ok(doc) = serde_json::from_str::<Value>(&self.stdout)
            && let Some(list) = doc.get("diagnostics")
        {
            return Diagnostics::from_values(list.as_array().into_iter().flatten());
        }
        let lines = self.json_lines();
        Diagnostics::from_values(
            lines
                .iter()
                .filter(|l| l["type"] == "diagnostic")
                .map(|l| &l["diagnostic"]),
        )
    }

    /// Fails if the output shows a provider crash or raw plugin-protocol/gRPC error text
    /// ([`CRASH_MARKERS`]): user errors must arrive as diagnostics.
    pub fn expect_no_crash(&self) -> Result<()> {
        for marker in CRASH_MARKERS {
            if self.stdout.contains(marker) || self.stderr.contains(marker) {
                return Err(Error::assertion(format!(
                    "output contains crash/protocol-error text {marker:?}:\n{self}"
                )));
            }
        }
        Ok(())
    }
}

impl fmt::Display for Output {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let code = self.code.map_or("a signal".to_string(), |c| c.to_string());
        write!(f, "`{}` exited with {code}", self.command)?;
        let diags = self.diagnostics();
        if !diags.is_empty() {
            write!(f, "\n--- diagnostics ---\n{diags}")?;
        } else if !self.stdout.trim().is_empty() {
            write!(f, "\n--- stdout ---\n{}", tail(&self.stdout))?;
        }
        if !self.stderr.trim().is_empty() {
            write!(f, "\n--- stderr ---\n{}", tail(&self.stderr))?;
        }
        Ok(())
    }
}

impl fmt::Debug for Output {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// The last 8 KiB of a long text, so one failure does not flood the test report.
fn tail(s: &str) -> &str {
    const MAX: usize = 8 * 1024;
    if s.len() <= MAX {
        return s;
    }
    let mut start = s.len() - MAX;
    while !s.is_char_boundary(start) {
        start += 1;
    }
    &s[start..]
}

enum Event {
    Stdout(String),
    Stderr(String),
    StreamClosed,
    Exited(std::io::Result<ExitStatus>),
}

/// A started command. Collects its output as it arrives; [`Running::wait_for_stdout`] lets a test act at
/// a precise point (e.g. send an interrupt once `apply_start` is printed), [`Running::wait`] finishes it.
pub struct Running {
    command: String,
    pid: u32,
    events: Receiver<Event>,
    stdout: Vec<String>,
    stderr: Vec<String>,
    open_streams: u8,
    status: Option<std::io::Result<ExitStatus>>,
    /// The secrets sweep of this command, when it is on.
    sweep: Option<Sweep>,
}

impl Running {
    /// Starts `cmd` in a new process group with stdin closed and stdout/stderr captured.
    pub fn spawn(mut cmd: Command, label: String) -> Result<Self> {
        cmd.stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0);
        let program = cmd.get_program().to_string_lossy().into_owned();
        let mut child = cmd.spawn().map_err(|source| Error::Spawn { program, source })?;
        let (tx, events) = mpsc::channel();
        let pid = child.id();
        let out = child.stdout.take().expect("stdout is piped");
        let err = child.stderr.take().expect("stderr is piped");
        let t = tx.clone();
        thread::spawn(move || forward_lines(out, &t, Event::Stdout));
        let t = tx.clone();
        thread::spawn(move || forward_lines(err, &t, Event::Stderr));
        thread::spawn(move || wait_child(child, &tx));
        Ok(Running {
            command: label,
            pid,
            events,
            stdout: Vec::new(),
            stderr: Vec::new(),
            open_streams: 2,
            status: None,
            sweep: None,
        })
    }

    /// Searches this command's logs and output for secrets when it ends.
    pub(super) fn swept(mut self, sweep: Option<Sweep>) -> Self {
        self.sweep = sweep;
        self
    }

    /// The CLI's PID, also its process-group ID (for finding its children, e.g. the provider).
    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// Sends SIGINT to the whole process group, as Ctrl-C in a terminal does.
    pub fn interrupt(&self) -> Result<()> {
        signal_group(self.pid, "INT")
    }

    /// Waits until a stdout line satisfies `pred` (returning that line), the command ends, or `timeout`
    /// passes. Output read meanwhile is kept for [`Running::wait`].
    pub fn wait_for_stdout(&mut self, timeout: Duration, mut pred: impl FnMut(&str) -> bool) -> Result<String> {
        let deadline = Instant::now() + timeout;
        let mut seen = self.stdout.len();
        loop {
            if let Some(line) = self.stdout[seen..].iter().find(|l| pred(l)) {
                return Ok(line.clone());
            }
            seen = self.stdout.len();
            if self.finished() {
                return Err(Error::assertion(format!(
                    "`{}` ended before printing the awaited line:\n{}",
                    self.command,
                    self.output()
                )));
            }
            if !self.next_event(deadline) {
                return Err(Error::assertion(format!(
                    "`{}` did not print the awaited line within {timeout:?}:\n{}",
                    self.command,
                    self.output()
                )));
            }
        }
    }

    /// Whether the command has not exited yet (reads what it printed meanwhile, without waiting): the
    /// "still waiting" half of a condition such as "destroy deleted the object and is waiting for it".
    pub fn is_running(&mut self) -> bool {
        while self.status.is_none() && self.next_event(Instant::now()) {}
        self.status.is_none()
    }

    /// Waits for the command to end and returns its output. After `timeout` the process group is killed
    /// and [`Error::Timeout`] is returned.
    pub fn wait(mut self, timeout: Duration) -> Result<Output> {
        let deadline = Instant::now() + timeout;
        while !self.finished() {
            if !self.next_event(deadline) {
                signal_group(self.pid, "KILL")?;
                // The group is dead, so its pipes close and the waiter reports promptly.
                let grace = Instant::now() + Duration::from_secs(30);
                while !self.finished() && self.next_event(grace) {}
                if let Some(sweep) = self.sweep.take() {
                    sweep.finish(Some(&self.output()));
                }
                return Err(Error::Timeout {
                    timeout,
                    output: Box::new(self.output()),
                });
            }
        }
        let output = self.output();
        if let Some(sweep) = self.sweep.take() {
            sweep.finish(Some(&output));
        }
        match self.status {
            Some(Err(source)) => Err(Error::Spawn {
                program: self.command,
                source,
            }),
            _ => Ok(output),
        }
    }

    fn finished(&self) -> bool {
        self.open_streams == 0 && self.status.is_some()
    }

    /// Handles one event; `false` if none arrived before `deadline`.
    fn next_event(&mut self, deadline: Instant) -> bool {
        let left = deadline.saturating_duration_since(Instant::now());
        match self.events.recv_timeout(left) {
            Ok(Event::Stdout(l)) => self.stdout.push(l),
            Ok(Event::Stderr(l)) => self.stderr.push(l),
            Ok(Event::StreamClosed) => self.open_streams -= 1,
            Ok(Event::Exited(s)) => self.status = Some(s),
            Err(RecvTimeoutError::Timeout) => return false,
            // All senders gone: every thread has already reported; make sure we stop waiting.
            Err(RecvTimeoutError::Disconnected) => {
                self.open_streams = 0;
                self.status
                    .get_or_insert_with(|| Err(std::io::ErrorKind::BrokenPipe.into()));
            }
        }
        true
    }

    fn output(&self) -> Output {
        let code = match &self.status {
            Some(Ok(s)) => s.code(),
            _ => None,
        };
        Output {
            command: self.command.clone(),
            code,
            stdout: join_lines(&self.stdout),
            stderr: join_lines(&self.stderr),
        }
    }
}

fn join_lines(lines: &[String]) -> String {
    let mut s = lines.join("\n");
    if !s.is_empty() {
        s.push('\n');
    }
    s
}

fn forward_lines(stream: impl Read, tx: &mpsc::Sender<Event>, wrap: fn(String) -> Event) {
    let mut reader = BufReader::new(stream);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match reader.read_until(b'\n', &mut buf) {
            Ok(0) | Err(_) => break,
            Ok(_) => {
                let line = String::from_utf8_lossy(&buf);
                let line = line.strip_suffix('\n').unwrap_or(&line);
                if tx.send(wrap(line.to_string())).is_err() {
                    break;
                }
            }
        }
    }
    let _ = tx.send(Event::StreamClosed);
}

fn wait_child(mut child: Child, tx: &mpsc::Sender<Event>) {
    let _ = tx.send(Event::Exited(child.wait()));
}

/// Sends `signal` to the process group led by `pid` (our children are group leaders, see
/// [`Running::spawn`]). Uses kill(1) because the workspace forbids `unsafe`.
fn signal_group(pid: u32, signal: &str) -> Result<()> {
    let status = Command::new("kill")
        .args([format!("-{signal}"), "--".into(), format!("-{pid}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|source| Error::Spawn {
            program: "kill".into(),
            source,
        })?;
    // A failure means the group is already gone, which is what we wanted.
    let _ = status;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(script: &str) -> Running {
        let mut cmd = Command::new("sh");
        cmd.args(["-c", script]);
        Running::spawn(cmd, format!("sh -c {script:?}")).unwrap()
    }

    #[test]
    fn timeout_kills_the_process_group() {
        let mut run = sh("echo ready; sleep 600 & wait");
        run.wait_for_stdout(Duration::from_secs(30), |l| l == "ready").unwrap();
        let started = Instant::now();
        match run.wait(Duration::from_millis(200)) {
            Err(Error::Timeout { output, .. }) => assert_eq!(output.stdout, "ready\n"),
            other => panic!("expected a timeout, got {other:?}"),
        }
        assert!(started.elapsed() < Duration::from_secs(30));
    }

    #[test]
    fn interrupt_reaches_the_command() {
        // Python, not `sh -c "trap ..."`: a shell cannot trap a signal it was started with ignored, and a
        // test run launched in the background of a non-interactive shell starts with SIGINT ignored. Go
        // programs such as tofu install their handler regardless, as Python does here.
        let script = "import signal, sys, time\n\
                      signal.signal(signal.SIGINT, lambda *_: (print('got-int', flush=True), sys.exit(3)))\n\
                      print('ready', flush=True)\n\
                      time.sleep(600)";
        let mut cmd = Command::new("python3");
        cmd.args(["-c", script]);
        let mut run = Running::spawn(cmd, "python3 -c <wait for SIGINT>".into()).unwrap();
        run.wait_for_stdout(Duration::from_secs(30), |l| l == "ready").unwrap();
        run.interrupt().unwrap();
        let out = run.wait(Duration::from_secs(30)).unwrap();
        assert_eq!(out.code, Some(3));
        assert!(out.stdout.contains("got-int"), "{out}");
        assert!(!out.success());
    }

    #[test]
    fn diagnostics_from_streaming_json() {
        let out = Output {
            command: "x".into(),
            code: Some(1),
            stdout: concat!(
                r#"{"type":"version"}"#,
                "\n",
                r#"{"type":"diagnostic","diagnostic":{"severity":"error","summary":"Boom","detail":""}}"#,
                "\nnot json\n"
            )
            .into(),
            stderr: String::new(),
        };
        assert_eq!(out.diagnostics().errors().count(), 1);
        assert!(out.clone().ok().is_err());
        assert!(out.expect_no_crash().is_ok());
        let crashed = Output {
            stderr: "panic: oh no".into(),
            ..out
        };
        assert!(crashed.expect_no_crash().is_err());
    }
}
