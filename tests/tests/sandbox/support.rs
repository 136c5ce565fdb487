//! Helpers shared by the sandbox tests.

use std::future::Future;
use std::time::{Duration, Instant};

use hub_acceptance::sandbox::Sandbox;

/// The shared plane, or `None` (with a message) when `HUB_SANDBOX_SKIP` is set.
pub fn sandbox() -> Option<&'static Sandbox> {
    if std::env::var_os("HUB_SANDBOX_SKIP").is_some() {
        eprintln!("skipped: HUB_SANDBOX_SKIP is set");
        return None;
    }
    match Sandbox::shared() {
        Ok(s) => Some(s),
        Err(e) => panic!("{e}"),
    }
}

/// Polls `f` until it yields `Some`, panicking with `what` and the last observation after `timeout`.
pub async fn eventually<T, F, Fut>(what: &str, timeout: Duration, mut f: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, String>>,
{
    let start = Instant::now();
    loop {
        match f().await {
            Ok(v) => return v,
            Err(last) if start.elapsed() > timeout => {
                panic!("{what}: not true after {timeout:?}; last observation: {last}")
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
}

/// HTTP status of a Kubernetes API error.
pub fn api_status(e: &kube::Error) -> Option<u16> {
    match e {
        kube::Error::Api(s) => Some(s.code),
        _ => None,
    }
}
