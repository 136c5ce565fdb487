//! Fault settings of the AWS proxy and a client for its control API. The proxy itself is in
//! [`super::proxy`]; a test changes the settings at run time, e.g. "throttle 30 % of IAM calls" or "fail
//! the next 2 EKS calls with 503", and reads counters to assert that retries happened.

use std::time::Duration;

use http::Method;
use serde::{Deserialize, Serialize};

use super::error::{Result, SandboxError};
use super::httpc;

/// What the proxy injects. Rates are probabilities in `0.0..=1.0`; `*_next` counters inject
/// deterministically into the next N matching requests (consumed before the rates apply).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FaultConfig {
    /// Probability of answering `Throttling` (HTTP 400; query-protocol XML for IAM/STS, JSON
    /// `ThrottlingException` for EKS) instead of forwarding.
    pub throttle_rate: f64,
    /// Probability of answering a 5xx instead of forwarding.
    pub server_error_rate: f64,
    /// Status of injected server errors: 500 (`InternalFailure`/`ServerException`) or 503
    /// (`ServiceUnavailable`/`ServiceUnavailableException`). 0 means 500.
    pub server_error_status: u16,
    /// Only inject into these services (`iam`, `sts`, `eks`, from the SigV4 credential scope); empty = all.
    pub services: Vec<String>,
    /// Only inject into requests signed with one of these access key IDs; empty = all. A test that
    /// uses its own key (see `Scope::aws_credentials`) thereby faults only its own traffic.
    pub access_key_ids: Vec<String>,
    /// Throttle the next N matching requests.
    pub throttle_next: u64,
    /// Fail the next N matching requests with a 5xx.
    pub server_error_next: u64,
    /// Seed for the rate dice (for reproducible runs); `None` = time-based.
    pub seed: Option<u64>,
}

impl FaultConfig {
    /// Checks the ranges.
    pub fn validate(&self) -> Result<()> {
        let ok = |r: f64| (0.0..=1.0).contains(&r);
        if !ok(self.throttle_rate) || !ok(self.server_error_rate) || self.throttle_rate + self.server_error_rate > 1.0 {
            return Err(SandboxError::Invalid(format!(
                "fault rates must be within 0..=1 and sum to at most 1 (throttle {}, server error {})",
                self.throttle_rate, self.server_error_rate
            )));
        }
        if ![0, 500, 503].contains(&self.server_error_status) {
            return Err(SandboxError::Invalid(format!(
                "server_error_status must be 500 or 503, not {}",
                self.server_error_status
            )));
        }
        Ok(())
    }
}

/// Counters since the proxy started (or since the last reset).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaultStats {
    /// Requests received.
    pub requests: u64,
    /// Requests forwarded to moto.
    pub forwarded: u64,
    /// Injected throttling errors.
    pub throttled: u64,
    /// Injected 5xx errors.
    pub server_errors: u64,
    /// Requests that failed because moto was unreachable (answered 503).
    pub upstream_errors: u64,
}

/// `GET /faults` answer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FaultStatus {
    /// Current settings.
    pub config: FaultConfig,
    /// Counters.
    pub stats: FaultStats,
}

/// Client of the proxy's control API (`HUB_SANDBOX_FAULTS_URL`).
#[derive(Debug, Clone)]
pub struct FaultControl {
    base: String,
}

impl FaultControl {
    /// For a control URL such as `http://127.0.0.1:41234`.
    pub fn new(base: impl Into<String>) -> Self {
        Self { base: base.into() }
    }

    async fn call(&self, method: Method, body: Vec<u8>) -> Result<FaultStatus> {
        let url = format!("{}/faults", self.base.trim_end_matches('/'));
        let resp = httpc::send(
            method.clone(),
            &url,
            &[("content-type", "application/json")],
            body,
            Duration::from_secs(5),
        )
        .await?;
        if !resp.status.is_success() {
            return Err(SandboxError::Http {
                method: method.to_string(),
                url,
                message: format!("{}: {}", resp.status, resp.text()),
            });
        }
        serde_json::from_slice(&resp.body).map_err(|e| SandboxError::json("parsing fault status", e))
    }

    /// Replaces the fault settings.
    pub async fn set(&self, config: &FaultConfig) -> Result<FaultStatus> {
        config.validate()?;
        let body = serde_json::to_vec(config).map_err(|e| SandboxError::json("serialising fault config", e))?;
        self.call(Method::PUT, body).await
    }

    /// Current settings and counters.
    pub async fn status(&self) -> Result<FaultStatus> {
        self.call(Method::GET, Vec::new()).await
    }

    /// No faults, counters zeroed.
    pub async fn clear(&self) -> Result<FaultStatus> {
        self.call(Method::DELETE, Vec::new()).await
    }
}
