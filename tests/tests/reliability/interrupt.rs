//! The CLI interrupted (SIGINT to its process group, as Ctrl-C or a cancelled CI job does) at random
//! points of an apply of a namespace, 20 apps and 4 IRSA bindings; the next apply must converge.

use std::time::{Duration, Instant};

use hub_acceptance::sandbox::Sandbox;
use hub_acceptance::tf::{self, Running};

use crate::probes::{WriteCounter, alive};
use crate::run::{Fault, faulted_apply};
use crate::serial;
use crate::stack::Stack;

/// Sends SIGINT to the CLI's process group `after` the apply started.
pub(crate) struct Interrupt {
    pub after: Duration,
}

impl Fault for Interrupt {
    fn inject(&mut self, _: &Sandbox, running: &Running, counter: &WriteCounter) -> tf::Result<String> {
        let deadline = Instant::now() + self.after;
        while Instant::now() < deadline && alive(running.pid()) {
            std::thread::sleep(Duration::from_millis(20));
        }
        let writes = (counter.api_writes(), counter.aws_writes());
        if !alive(running.pid()) {
            return Err(tf::Error::assertion(format!(
                "the apply ended before the interrupt at {:?}: nothing was injected",
                self.after
            )));
        }
        running.interrupt()?;
        Ok(format!(
            "SIGINT at {:.1} s ({} API, {} AWS writes done)",
            self.after.as_secs_f64(),
            writes.0,
            writes.1
        ))
    }
}

/// A pseudo-random duration in `lo..hi` (seeded from the clock; the figures record the value used).
pub(crate) fn random_between(lo: Duration, hi: Duration) -> Duration {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let mut x = u64::from(nanos) ^ (u64::from(std::process::id()) << 32);
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    let span = hi.saturating_sub(lo).as_millis().max(1) as u64;
    lo + Duration::from_millis(x % span)
}

#[test]
#[ignore = "heavy: make test-reliability"]
fn cli_interrupted_at_random_points() -> tf::Result<()> {
    let (_lock, sb) = serial()?;
    for _ in 0..3 {
        let stack = Stack::new("rel-sigint", 20, 4);
        let mut fault = Interrupt {
            // A clean apply of this stack takes 3–8 s here: interrupt within its first 3 s.
            after: random_between(Duration::from_millis(300), Duration::from_secs(3)),
        };
        faulted_apply(
            sb,
            "CLI interrupted (SIGINT) at a random point (20 apps, 4 bindings)",
            &stack,
            &mut fault,
        )?;
    }
    Ok(())
}
