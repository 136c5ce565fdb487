//! hub-workload as a local process, for the tests of `/identity` under each EKS mechanism: given only what
//! EKS would inject into the pod (the caller's `env`), with the sandbox's AWS endpoint and region and none
//! of the test process's own credentials; ready before it is returned, killed when dropped.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::sandbox::httpc;
use crate::sandbox::layout::target_dir;
use crate::support::{block_on, err, expect, sandbox};
use crate::tf;

/// A running hub-workload.
pub struct Workload {
    child: Child,
    port: u16,
    admin_port: u16,
}

impl Drop for Workload {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> tf::Result<u16> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(err)
}

impl Workload {
    /// Starts `target/debug/hub-workload` with `env` on top of the sandbox's AWS endpoint; `dir` is a
    /// scratch directory (an empty shared-credentials file is pointed there).
    pub fn start(env: &[(&str, String)], dir: &Path) -> tf::Result<Workload> {
        let (port, admin_port) = (free_port()?, free_port()?);
        let endpoint = sandbox()
            .env()
            .into_iter()
            .find(|(k, _)| k == "AWS_ENDPOINT_URL")
            .map(|(_, v)| v)
            .unwrap_or_default();
        let mut cmd = Command::new(target_dir().join("debug").join("hub-workload"));
        for key in [
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
            "AWS_PROFILE",
            "AWS_CONFIG_FILE",
            "AWS_ROLE_ARN",
            "AWS_WEB_IDENTITY_TOKEN_FILE",
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
        ] {
            cmd.env_remove(key);
        }
        cmd.envs([
            ("HUB_HOST", "127.0.0.1".to_owned()),
            ("HUB_PORT", port.to_string()),
            // `/identity` is served on the admin port.
            ("HUB_ADMIN_PORT", admin_port.to_string()),
            ("AWS_ENDPOINT_URL", endpoint),
            ("AWS_REGION", "us-east-1".into()),
            ("AWS_SHARED_CREDENTIALS_FILE", dir.join("none").display().to_string()),
        ]);
        cmd.envs(env.iter().map(|(k, v)| (*k, v.as_str())));
        let child = cmd.stdout(Stdio::null()).stderr(Stdio::null()).spawn().map_err(err)?;
        let w = Workload {
            child,
            port,
            admin_port,
        };
        let started = Instant::now();
        while w.get(false, "/ready").map(|(s, _)| s) != Some(200) {
            expect(started.elapsed() < Duration::from_secs(15), "hub-workload became ready")?;
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(w)
    }

    /// `GET /identity` (admin port): the status and the report.
    pub fn identity(&self) -> tf::Result<(u16, serde_json::Value)> {
        let (status, body) = self.get(true, "/identity").ok_or_else(|| err("GET /identity failed"))?;
        Ok((status, serde_json::from_str(&body).map_err(err)?))
    }

    /// GET `path` on the app port, or the admin port: status and body.
    pub fn get(&self, admin: bool, path: &str) -> Option<(u16, String)> {
        let port = if admin { self.admin_port } else { self.port };
        let response = block_on(httpc::get(&format!("http://127.0.0.1:{port}{path}"))).ok()?;
        Some((response.status.as_u16(), response.text()))
    }
}
