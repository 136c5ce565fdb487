//! The reliability suite: faults injected in the middle of an apply (API server killed after k of N
//! writes, the AWS endpoint down, the CLI interrupted, the provider SIGKILLed) and throttling (AWS faults
//! at 5/20/50 %, API Priority and Fairness answering 429). After every fault the next `apply` must
//! converge, leave nothing orphaned or duplicated (objects, IAM roles, Pod Identity associations) and be
//! followed by an empty plan; every IAM role must carry its trust and inline policy. Each run records a row of figures (`figures`); `make
//! test-reliability` runs the heavy (`#[ignore]`) scenarios too and writes `docs/reliability.md`.
//!
//! The scenarios stop and restart parts of the plane, so they run one at a time ([`serial`]) on the
//! test binary's own plane, never on one shared through `HUB_SANDBOX_DIR`.

mod admission;
mod api_server;
mod associations;
mod aws_outage;
mod checks;
mod concurrency;
mod dev_stack;
mod figures;
mod interrupt;
mod probes;
mod provider_kill;
mod run;
mod stack;
mod throttling;

use std::sync::{Mutex, MutexGuard};

use hub_acceptance::sandbox::Sandbox;
use hub_acceptance::support::sandbox;
use hub_acceptance::tf;

/// Holds the plane for one scenario at a time; refuses a plane this binary does not own.
pub(crate) fn serial() -> tf::Result<(MutexGuard<'static, ()>, &'static Sandbox)> {
    static LOCK: Mutex<()> = Mutex::new(());
    let guard = LOCK.lock().unwrap_or_else(|p| p.into_inner());
    if std::env::var_os("HUB_SANDBOX_DIR").is_some() {
        return Err(tf::Error::assertion(
            "the reliability suite stops parts of the plane: run it without HUB_SANDBOX_DIR (it starts its own)",
        ));
    }
    Ok((guard, sandbox()))
}
