//! `hub-workload check`: the verification step of deploy scripts and CI.
//!
//! Right after an apply, pods may still be starting, so a single curl fails for the wrong reason. Each
//! check is retried until it passes or the overall timeout elapses; the report says what passed, what
//! failed with the last error, and how many attempts it took, and the exit code says whether to proceed.

use crate::cli::CheckOptions;
use crate::configs::redact::REDACTED;
use crate::http_client;
use crate::settings::DEFAULT_ADMIN_PORT;
use http::Uri;
use serde_json::Value;
use std::fmt::Write;
use std::time::{Duration, Instant};

/// Longest body read from a checked URL.
const MAX_BODY: usize = 4 * 1024 * 1024;
/// Longest single request; the overall timeout may cut it shorter.
const MAX_ATTEMPT: Duration = Duration::from_secs(5);

/// One URL and what its answer must satisfy.
#[derive(Debug, Clone)]
pub struct Check {
    pub url: Uri,
    expect: Expect,
}

#[derive(Debug, Clone)]
enum Expect {
    /// Any 2xx.
    Success,
    /// 2xx and, if the body is JSON with a `status`, `"healthy"`.
    Healthy,
    /// 2xx from `/configs` with these values.
    Config(Vec<(String, String)>),
}

/// The final state of one check.
#[derive(Debug, Clone)]
pub struct CheckResult {
    pub url: Uri,
    pub passed: bool,
    pub attempts: u32,
    /// Status and timing when passed, the last failure otherwise.
    pub message: String,
}

/// Expands the options into checks: base URLs get `/health`, `/ready` and (with expectations) `/configs`
/// on the admin listener (`--admin`, else the same host on the default admin port).
pub fn plan(options: &CheckOptions) -> Vec<Check> {
    let mut checks = Vec::new();
    for url in &options.urls {
        let is_base = matches!(url.path(), "" | "/") && url.query().is_none();
        if !is_base {
            checks.push(Check {
                url: url.clone(),
                expect: Expect::Success,
            });
            continue;
        }
        checks.push(Check {
            url: join(url, "/health"),
            expect: Expect::Healthy,
        });
        checks.push(Check {
            url: join(url, "/ready"),
            expect: Expect::Success,
        });
        if !options.expect_config.is_empty() {
            let admin = options.admin.clone().unwrap_or_else(|| admin_base(url));
            checks.push(Check {
                url: join(&admin, "/configs"),
                expect: Expect::Config(options.expect_config.clone()),
            });
        }
    }
    checks
}

/// `base` (a URL without path) followed by `path`.
fn join(base: &Uri, path: &str) -> Uri {
    let text = base.to_string();
    format!("{}{path}", text.trim_end_matches('/'))
        .parse()
        .unwrap_or_else(|_| base.clone())
}

/// The admin listener next to the app at `base`: same scheme and host, the default admin port.
fn admin_base(base: &Uri) -> Uri {
    let scheme = base.scheme_str().unwrap_or("http");
    let host = base.host().unwrap_or("localhost");
    format!("{scheme}://{host}:{DEFAULT_ADMIN_PORT}")
        .parse()
        .unwrap_or_else(|_| base.clone())
}

/// Runs every check until it passes or `timeout` elapses since the start.
pub async fn run(checks: Vec<Check>, timeout: Duration, interval: Duration) -> Vec<CheckResult> {
    let deadline = Instant::now() + timeout;
    let mut results: Vec<CheckResult> = checks
        .iter()
        .map(|check| CheckResult {
            url: check.url.clone(),
            passed: false,
            attempts: 0,
            message: "not attempted".into(),
        })
        .collect();
    loop {
        for (check, result) in checks.iter().zip(results.iter_mut()).filter(|(_, r)| !r.passed) {
            let remaining = deadline.saturating_duration_since(Instant::now());
            if remaining.is_zero() {
                break;
            }
            result.attempts += 1;
            let started = Instant::now();
            match attempt(check, remaining.min(MAX_ATTEMPT)).await {
                Ok(summary) => {
                    result.passed = true;
                    result.message = format!("{summary} in {} ms", started.elapsed().as_millis());
                }
                Err(failure) => result.message = failure,
            }
        }
        let remaining = deadline.saturating_duration_since(Instant::now());
        if results.iter().all(|r| r.passed) || remaining.is_zero() {
            return results;
        }
        tokio::time::sleep(interval.min(remaining)).await;
    }
}

async fn attempt(check: &Check, timeout: Duration) -> Result<String, String> {
    let fetched = http_client::get(&check.url, &[("accept", "application/json")], timeout, MAX_BODY)
        .await
        .map_err(|e| e.to_string())?;
    let status = fetched.status;
    if !status.is_success() {
        let body = String::from_utf8_lossy(&fetched.body);
        let excerpt: String = body.chars().take(200).collect();
        return Err(format!("HTTP {} {}", status.as_u16(), excerpt.trim()));
    }
    match &check.expect {
        Expect::Success => {}
        Expect::Healthy => {
            if let Ok(Value::Object(body)) = serde_json::from_slice::<Value>(&fetched.body)
                && let Some(state) = body.get("status")
                && state != "healthy"
            {
                return Err(format!("HTTP {}, but status is {state}", status.as_u16()));
            }
        }
        Expect::Config(expectations) => {
            let body: Value =
                serde_json::from_slice(&fetched.body).map_err(|e| format!("/configs is not JSON: {e}"))?;
            let mismatches: Vec<String> = expectations
                .iter()
                .filter_map(|(key, expected)| config_mismatch(&body, key, expected))
                .collect();
            if !mismatches.is_empty() {
                return Err(mismatches.join("; "));
            }
        }
    }
    Ok(format!("HTTP {}", status.as_u16()))
}

/// Compares `key` in a `/configs` body (env first, then files by path or name); `None` when it matches.
fn config_mismatch(configs: &Value, key: &str, expected: &str) -> Option<String> {
    let env = configs.get("env").and_then(|e| e.get(key)).and_then(Value::as_str);
    let file = || {
        configs.get("files")?.as_object()?.iter().find_map(|(path, content)| {
            let name = path.rsplit('/').next().unwrap_or(path);
            (path == key || name == key).then(|| content.as_str()).flatten()
        })
    };
    match env.or_else(file) {
        None => Some(format!("{key}: not set")),
        Some(REDACTED) => Some(format!("{key}: redacted, cannot compare")),
        Some(actual) if actual.trim_end_matches('\n') == expected => None,
        Some(actual) => Some(format!("{key}: expected {expected:?}, got {actual:?}")),
    }
}

/// The short report printed on stdout.
pub fn report(results: &[CheckResult], elapsed: Duration) -> String {
    let passed = results.iter().filter(|r| r.passed).count();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "hub-workload check: {passed}/{} passed in {:.1} s",
        results.len(),
        elapsed.as_secs_f64()
    );
    for r in results {
        let mark = if r.passed { "ok  " } else { "FAIL" };
        let plural = if r.attempts == 1 { "" } else { "s" };
        let _ = writeln!(
            out,
            "  {mark} {} — {} ({} attempt{plural})",
            r.url, r.message, r.attempts
        );
    }
    out
}

#[cfg(test)]
mod tests;
