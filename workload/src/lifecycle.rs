//! The process's phase as probes see it: starting, serving, or draining after SIGTERM.
//!
//! Probes read it on every call and the signal handler writes it once, so it is a single atomic: the flip to
//! "draining" is visible to the very next `/ready` request, which is what lets Kubernetes take the pod out of
//! its Service endpoints before connections are refused.

use std::sync::atomic::{AtomicU8, Ordering};
use tokio::sync::Notify;

const STARTING: u8 = 0;
const SERVING: u8 = 1;
const DRAINING: u8 = 2;

/// A phase that only moves forward: starting → serving → draining.
#[derive(Debug, Default)]
pub struct Lifecycle {
    phase: AtomicU8,
    drain: Notify,
}

/// What `/ready` and `/startup` report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// The first dependency round has not finished.
    Starting,
    /// Start-up is complete and no shutdown was requested.
    Serving,
    /// SIGTERM (or SIGINT) arrived: readiness fails while in-flight work finishes.
    Draining,
}

impl Lifecycle {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn phase(&self) -> Phase {
        match self.phase.load(Ordering::Acquire) {
            STARTING => Phase::Starting,
            SERVING => Phase::Serving,
            _ => Phase::Draining,
        }
    }

    /// Start-up finished; has no effect once draining.
    pub fn mark_started(&self) {
        let _ = self
            .phase
            .compare_exchange(STARTING, SERVING, Ordering::AcqRel, Ordering::Acquire);
    }

    /// Starts draining (idempotent) and wakes whoever waits in [`Lifecycle::drain_requested`].
    pub fn begin_drain(&self) {
        self.phase.store(DRAINING, Ordering::Release);
        self.drain.notify_waiters();
    }

    pub fn is_draining(&self) -> bool {
        self.phase() == Phase::Draining
    }

    /// Completes once draining has begun.
    pub async fn drain_requested(&self) {
        let notified = self.drain.notified();
        if self.is_draining() {
            return;
        }
        notified.await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_only_move_forward() {
        let l = Lifecycle::new();
        assert_eq!(l.phase(), Phase::Starting);
        l.mark_started();
        assert_eq!(l.phase(), Phase::Serving);
        l.begin_drain();
        l.mark_started();
        assert_eq!(l.phase(), Phase::Draining);
    }

    #[tokio::test]
    async fn drain_wakes_waiters_and_late_waiters_return_at_once() {
        let l = std::sync::Arc::new(Lifecycle::new());
        let waiter = tokio::spawn({
            let l = l.clone();
            async move { l.drain_requested().await }
        });
        tokio::task::yield_now().await;
        l.begin_drain();
        tokio::time::timeout(std::time::Duration::from_secs(1), waiter)
            .await
            .expect("woken")
            .expect("joined");
        tokio::time::timeout(std::time::Duration::from_millis(100), l.drain_requested())
            .await
            .expect("late waiter returns");
    }
}
