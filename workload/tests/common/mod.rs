//! Runs the real `hub-workload` binary on a loopback port and talks raw HTTP/1.1 to it.
//!
//! Raw sockets on purpose: the hostile-input tests must send what no HTTP client library would
//! (oversized heads, garbage, half-sent requests), and the same tiny client serves the friendly tests.

#![allow(dead_code)] // each test binary uses a different subset

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_hub-workload");

/// A running server; killed on drop if still alive.
pub struct Workload {
    pub child: Child,
    /// The app port: probes and `/`.
    pub addr: SocketAddr,
    /// The admin port: `/configs`, `/identity`, `/metrics`.
    pub admin: SocketAddr,
    pub log: Arc<Mutex<Vec<String>>>,
}

/// A port that was free a moment ago.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port()
}

impl Workload {
    /// Starts the binary with `env` (plus loopback addresses and IMDS disabled) and waits for `/health`.
    pub fn start(env: &[(&str, &str)]) -> Self {
        let port = free_port();
        let admin_port = free_port();
        let mut command = Command::new(BIN);
        command
            .env_clear()
            .env("HUB_HOST", "127.0.0.1")
            .env("HUB_PORT", port.to_string())
            .env("HUB_ADMIN_PORT", admin_port.to_string())
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        for (k, v) in env {
            command.env(k, v);
        }
        let mut child = command.spawn().expect("spawn hub-workload");
        let log = Arc::new(Mutex::new(Vec::new()));
        let stdout = child.stdout.take().expect("stdout");
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                sink.lock().expect("log lock").push(line);
            }
        });
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let admin = SocketAddr::from(([127, 0, 0, 1], admin_port));
        let workload = Self {
            child,
            addr,
            admin,
            log,
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if workload.get("/health").is_ok_and(|r| r.status == 200) {
                return workload;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        panic!(
            "hub-workload did not answer /health within 10 s; log: {:?}",
            workload.log_lines()
        );
    }

    /// GET on the app port.
    pub fn get(&self, path: &str) -> std::io::Result<Response> {
        get(self.addr, path)
    }

    /// GET on the admin port.
    pub fn admin_get(&self, path: &str) -> std::io::Result<Response> {
        get(self.admin, path)
    }

    pub fn pid(&self) -> rustix::process::Pid {
        rustix::process::Pid::from_raw(self.child.id() as i32).expect("pid")
    }

    pub fn signal(&self, signal: rustix::process::Signal) {
        rustix::process::kill_process(self.pid(), signal).expect("kill");
    }

    /// Waits for exit up to `timeout`.
    pub fn wait(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        None
    }

    pub fn log_lines(&self) -> Vec<String> {
        self.log.lock().expect("log lock").clone()
    }
}

impl Drop for Workload {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A parsed HTTP response.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub head: String,
    pub body: String,
}

impl Response {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// GETs `path` on a new connection to `addr`.
pub fn get(addr: SocketAddr, path: &str) -> std::io::Result<Response> {
    request(
        addr,
        &format!("GET {path} HTTP/1.1\r\nhost: test\r\nconnection: close\r\n\r\n"),
    )
}

/// Sends `raw` on a new connection and reads until the server closes it.
pub fn request(addr: SocketAddr, raw: &str) -> std::io::Result<Response> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    stream.write_all(raw.as_bytes())?;
    read_response(&mut stream)
}

pub fn read_response(stream: &mut TcpStream) -> std::io::Result<Response> {
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes)?;
    parse(&bytes)
}

pub fn parse(bytes: &[u8]) -> std::io::Result<Response> {
    let text = String::from_utf8_lossy(bytes).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("no status line in {text:?}")))?;
    Ok(Response {
        status,
        head: head.to_owned(),
        body: body.to_owned(),
    })
}
