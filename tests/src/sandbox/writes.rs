//! Proof that nothing was written: the non-read requests that reached the API server (its audit log) and
//! moto (its request recording) between a [`WriteWatch`] and [`Sandbox::writes_since`]. The control
//! plane's own writes (controller-manager, scheduler, kwok, the API server itself) are left out.
//!
//! moto's recorder is one switch for the whole plane: only one watch at a time per sandbox.

use std::io::{Read as _, Seek as _, SeekFrom};
use std::time::Duration;

use base64::Engine as _;
use http::Method;
use serde_json::Value;

use super::error::{IoContext, Result, SandboxError};
use super::handle::Sandbox;
use super::httpc;

/// User agents of the plane's own components, whose writes are not a test's doing.
const CONTROL_PLANE_AGENTS: &[&str] = &[
    "kube-controller-manager/",
    "kube-scheduler/",
    "kwok/",
    "kube-apiserver/",
];

/// AWS actions that only read (all of STS is read-only as far as the account's state goes).
const READ_PREFIXES: &[&str] = &["Get", "List", "Describe", "AssumeRole", "Simulate", "Decode"];

/// Where a watch started.
#[derive(Debug, Clone, Copy)]
pub struct WriteWatch {
    audit_offset: u64,
}

/// The writes seen since a watch started, one human-readable line each.
#[derive(Debug, Clone, Default)]
pub struct Writes {
    /// `VERB resource namespace/name (user agent, status)` per API server write.
    pub api: Vec<String>,
    /// `service Action` (or `METHOD path`) per moto write.
    pub aws: Vec<String>,
}

impl Writes {
    /// Whether there were none.
    pub fn is_empty(&self) -> bool {
        self.api.is_empty() && self.aws.is_empty()
    }
}

impl Sandbox {
    /// Starts watching for writes: remembers the end of the audit log and restarts moto's recording.
    pub async fn watch_writes(&self) -> Result<WriteWatch> {
        let audit = self.audit_log_path();
        let audit_offset = std::fs::metadata(&audit)
            .ctx(|| {
                format!(
                    "reading {} (a plane started before audit logging existed? restart it)",
                    audit.display()
                )
            })?
            .len();
        self.moto_recorder("reset-recording").await?;
        self.moto_recorder("start-recording").await?;
        Ok(WriteWatch { audit_offset })
    }

    /// Stops the watch and returns the writes since it started.
    pub async fn writes_since(&self, watch: WriteWatch) -> Result<Writes> {
        self.moto_recorder("stop-recording").await?;
        let recording = self.moto_recorder("download-recording").await?;
        Ok(Writes {
            api: api_writes(&self.audit_tail(watch.audit_offset)?),
            aws: recording.lines().filter_map(aws_write).collect(),
        })
    }

    /// The API server's audit log (non-read requests).
    pub fn audit_log_path(&self) -> std::path::PathBuf {
        super::layout::RunDir::new(self.dir()).audit_log()
    }

    fn audit_tail(&self, offset: u64) -> Result<String> {
        let path = self.audit_log_path();
        let mut f = std::fs::File::open(&path).ctx(|| format!("opening {}", path.display()))?;
        // A rotated log starts again from 0.
        let len = f.metadata().ctx(|| format!("reading {}", path.display()))?.len();
        f.seek(SeekFrom::Start(if len < offset { 0 } else { offset }))
            .ctx(|| format!("seeking {}", path.display()))?;
        let mut text = String::new();
        f.read_to_string(&mut text)
            .ctx(|| format!("reading {}", path.display()))?;
        Ok(text)
    }

    async fn moto_recorder(&self, action: &str) -> Result<String> {
        let url = format!("{}/moto-api/recorder/{action}", self.moto_url());
        let method = if action == "download-recording" {
            Method::GET
        } else {
            Method::POST
        };
        let r = httpc::send(method, &url, &[], Vec::new(), Duration::from_secs(30)).await?;
        if !r.status.is_success() {
            return Err(SandboxError::Http {
                method: "POST".to_owned(),
                url,
                message: r.status.to_string(),
            });
        }
        Ok(r.text())
    }
}

/// Non-control-plane writes in audit log lines.
fn api_writes(log: &str) -> Vec<String> {
    log.lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|e| e["stage"] == "ResponseComplete")
        .filter(|e| !matches!(e["verb"].as_str(), Some("get" | "list" | "watch") | None))
        .filter(|e| {
            let agent = e["userAgent"].as_str().unwrap_or_default();
            !CONTROL_PLANE_AGENTS.iter().any(|a| agent.starts_with(a))
        })
        .map(|e| {
            let o = &e["objectRef"];
            format!(
                "{} {} {}/{} ({}, {})",
                e["verb"].as_str().unwrap_or_default(),
                o["resource"]
                    .as_str()
                    .unwrap_or_else(|| e["requestURI"].as_str().unwrap_or_default()),
                o["namespace"].as_str().unwrap_or_default(),
                o["name"].as_str().unwrap_or_default(),
                e["userAgent"].as_str().unwrap_or_default(),
                e["responseStatus"]["code"]
            )
        })
        .collect()
}

/// The write described by one line of moto's recording, if it is one (tests that act after the k-th
/// AWS write read the recording as it grows).
pub fn aws_write(line: &str) -> Option<String> {
    let e: Value = serde_json::from_str(line).ok()?;
    let method = e["method"].as_str().unwrap_or_default().to_owned();
    let url = e["url"].as_str().unwrap_or_default();
    let body = match (e["body"].as_str(), e["body_encoded"].as_bool()) {
        (Some(b), Some(true)) => base64::engine::general_purpose::STANDARD
            .decode(b)
            .map(|d| String::from_utf8_lossy(&d).into_owned())
            .unwrap_or_default(),
        (Some(b), _) => b.to_owned(),
        _ => String::new(),
    };
    let query = url.split_once('?').map_or("", |(_, q)| q);
    // JSON-protocol services (Secrets Manager, SSM) name the action in `X-Amz-Target: <service>.<Action>`.
    let target = e["headers"].as_object().and_then(|h| {
        h.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("x-amz-target"))
            .and_then(|(_, v)| v.as_str()?.rsplit('.').next().map(str::to_owned))
    });
    let action = [body.as_str(), query]
        .iter()
        .flat_map(|s| s.split('&'))
        .find_map(|kv| kv.strip_prefix("Action="))
        .map(str::to_owned)
        .or(target);
    let path = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = path.find('/').map_or("/", |i| &path[i..]);
    if path.starts_with("/moto-api/") {
        return None;
    }
    match action {
        Some(a) if READ_PREFIXES.iter().any(|p| a.starts_with(p)) => None,
        Some(a) => Some(a),
        None if method == "GET" || method == "HEAD" => None,
        None => Some(format!("{method} {path}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_audit_events() {
        let log = [
            r#"{"stage":"ResponseComplete","verb":"patch","userAgent":"kwok/v0.8.0","objectRef":{"resource":"nodes"}}"#,
            r#"{"stage":"ResponseComplete","verb":"patch","userAgent":"kube/5.0","objectRef":{"resource":"deployments","namespace":"a","name":"b"},"responseStatus":{"code":201}}"#,
            r#"{"stage":"ResponseStarted","verb":"create","userAgent":"kube/5.0","objectRef":{}}"#,
        ]
        .join("\n");
        assert_eq!(api_writes(&log), vec!["patch deployments a/b (kube/5.0, 201)"]);
    }

    #[test]
    fn classifies_moto_requests() {
        let rec = |method: &str, url: &str, body: &str| {
            serde_json::json!({"method": method, "url": url, "body": body, "body_encoded": false}).to_string()
        };
        assert_eq!(
            aws_write(&rec("POST", "http://127.0.0.1:1/", "Action=CreateRole&RoleName=x")),
            Some("CreateRole".into())
        );
        assert_eq!(
            aws_write(&rec("POST", "http://127.0.0.1:1/", "Action=GetRole&RoleName=x")),
            None
        );
        assert_eq!(
            aws_write(&rec("GET", "http://127.0.0.1:1/clusters/hub-sandbox", "")),
            None
        );
        assert_eq!(
            aws_write(&rec("DELETE", "http://127.0.0.1:1/clusters/x", "")),
            Some("DELETE /clusters/x".into())
        );
        assert_eq!(aws_write(&rec("POST", "http://127.0.0.1:1/moto-api/reset", "")), None);
        let json = |target: &str| {
            serde_json::json!({"method": "POST", "url": "http://127.0.0.1:1/", "body": "{}", "body_encoded": false,
                "headers": {"X-Amz-Target": target}})
            .to_string()
        };
        assert_eq!(aws_write(&json("secretsmanager.GetSecretValue")), None);
        assert_eq!(aws_write(&json("AmazonSSM.GetParameter")), None);
        assert_eq!(aws_write(&json("AmazonSSM.PutParameter")), Some("PutParameter".into()));
    }
}
