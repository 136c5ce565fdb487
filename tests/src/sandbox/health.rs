//! Waiting for a component to become healthy, with a deadline and an error that names the component, says
//! why the last probe failed (or that the process exited) and quotes the end of its log.

use std::future::Future;
use std::time::{Duration, Instant};

use super::error::{Result, SandboxError};
use super::process::{self, ProcessRecord};

/// Polls `probe` until it returns `Ok`, the process exits, or `timeout` passes.
pub async fn wait_ready<F, Fut>(name: &str, rec: Option<&ProcessRecord>, timeout: Duration, mut probe: F) -> Result<()>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<(), String>>,
{
    let start = Instant::now();
    let mut delay = Duration::from_millis(20);
    loop {
        if let Some(rec) = rec
            && !process::is_alive(rec)
        {
            let status = process::exit_status(rec.pid).unwrap_or_else(|| "exited".to_owned());
            return Err(not_ready(name, rec, start, format!("process {} {status}", rec.pid)));
        }
        let last = match probe().await {
            Ok(()) => return Ok(()),
            Err(reason) => reason,
        };
        if start.elapsed() >= timeout {
            return Err(match rec {
                Some(rec) => not_ready(name, rec, start, last),
                None => SandboxError::NotReady {
                    component: name.to_owned(),
                    waited_secs: start.elapsed().as_secs_f64(),
                    reason: last,
                    log: Default::default(),
                    log_tail: String::new(),
                },
            });
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(Duration::from_millis(250));
    }
}

fn not_ready(name: &str, rec: &ProcessRecord, start: Instant, reason: String) -> SandboxError {
    SandboxError::NotReady {
        component: name.to_owned(),
        waited_secs: start.elapsed().as_secs_f64(),
        reason,
        log: rec.spec.log.clone(),
        log_tail: process::log_tail(&rec.spec.log, 25),
    }
}

/// Probe helper: GET `url` over plain HTTP and require a 2xx.
pub async fn http_ok(url: &str) -> Result<(), String> {
    match super::httpc::get(url).await {
        Ok(r) if r.status.is_success() => Ok(()),
        Ok(r) => Err(format!("GET {url} -> {}: {}", r.status, r.text().trim())),
        Err(e) => Err(e.to_string()),
    }
}
