//! kube-apiserver stopped after k of N writes of an apply of a namespace and 20 apps, restarted once the
//! apply has ended; the next apply must converge. N comes from an unfaulted baseline apply of the same
//! stack (recorded as its own row).

use std::time::Duration;

use hub_acceptance::sandbox::{Component, Sandbox};
use hub_acceptance::support::{block_on, err};
use hub_acceptance::tf::{self, Running};

use crate::figures::Row;
use crate::probes::{WriteCounter, wait_for_writes};
use crate::run::{Fault, faulted_apply};
use crate::serial;
use crate::stack::Stack;

/// Stops a component after `k` writes counted by `count`; starts it again in `repair`.
pub(crate) struct StopAfter {
    pub component: Component,
    pub k: usize,
    pub n: usize,
    /// `api` or `aws`: which writes count.
    pub aws: bool,
    /// Start the component again after this long even if the apply is still running (None: after it ends).
    pub window: Option<Duration>,
    stopped: bool,
}

impl StopAfter {
    pub fn new(component: Component, k: usize, n: usize, aws: bool, window: Option<Duration>) -> Self {
        Self {
            component,
            k,
            n,
            aws,
            window,
            stopped: false,
        }
    }
}

impl Fault for StopAfter {
    fn inject(&mut self, sb: &Sandbox, running: &Running, counter: &WriteCounter) -> tf::Result<String> {
        wait_for_writes(running, counter, self.k, self.aws)?;
        let at = counter.writes(self.aws);
        block_on(sb.stop_component(self.component)).map_err(err)?;
        self.stopped = true;
        let done = counter.writes(self.aws);
        if let Some(window) = self.window {
            let deadline = std::time::Instant::now() + window;
            while std::time::Instant::now() < deadline && crate::probes::alive(running.pid()) {
                std::thread::sleep(Duration::from_millis(100));
            }
            block_on(sb.start_component(self.component)).map_err(err)?;
            self.stopped = false;
        }
        Ok(format!(
            "{} stopped after {at}/{} writes ({done} had completed when it was down)",
            self.component, self.n
        ))
    }

    fn repair(&mut self, sb: &Sandbox) -> tf::Result<()> {
        if self.stopped {
            block_on(sb.start_component(self.component)).map_err(err)?;
            self.stopped = false;
        }
        Ok(())
    }
}

pub(crate) const APPS: usize = 20;

/// API writes of a clean apply of `stack` (from its baseline row's write count).
pub(crate) fn baseline(sb: &Sandbox, scenario: &str, stack: &Stack) -> tf::Result<(Row, usize)> {
    struct Counting<'a>(&'a mut usize);
    impl Fault for Counting<'_> {
        fn inject(&mut self, _: &Sandbox, running: &Running, counter: &WriteCounter) -> tf::Result<String> {
            while crate::probes::alive(running.pid()) {
                std::thread::sleep(Duration::from_millis(200));
            }
            *self.0 = counter.api_writes().max(counter.aws_writes());
            Ok(format!(
                "none ({} API writes, {} AWS writes)",
                counter.api_writes(),
                counter.aws_writes()
            ))
        }
    }
    let mut n = 0;
    let row = faulted_apply(sb, scenario, stack, &mut Counting(&mut n))?;
    Ok((row, n))
}

#[test]
#[ignore = "heavy: make test-reliability"]
fn api_server_stopped_after_k_of_n_writes() -> tf::Result<()> {
    let (_lock, sb) = serial()?;
    let (_, n) = baseline(sb, "baseline: namespace + 20 apps", &Stack::new("rel-base", APPS, 0))?;
    for k in [n / 5, n / 2, n * 4 / 5] {
        let stack = Stack::new("rel-apiserver", APPS, 0);
        let mut fault = StopAfter::new(Component::KubeApiserver, k.max(1), n, false, None);
        faulted_apply(
            sb,
            "kube-apiserver stopped after k of N writes (20 apps)",
            &stack,
            &mut fault,
        )?;
    }
    Ok(())
}
