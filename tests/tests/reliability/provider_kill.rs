//! The provider process killed (SIGKILL) in the middle of an apply of a namespace, 20 apps and 4 IRSA
//! bindings, after k API writes or after k AWS writes (between a role's creation and its inline policy);
//! the CLI reports the crash, and the next apply must converge: objects written by the killed provider are
//! adopted (same names, same field manager), a role created just before the kill is adopted (its trust
//! policy proves it is this binding's), nothing is duplicated.

use hub_acceptance::sandbox::Sandbox;
use hub_acceptance::tf::{self, Running};

use crate::probes::{WriteCounter, provider_pids, wait_for_writes};
use crate::run::{Fault, faulted_apply};
use crate::serial;
use crate::stack::Stack;

/// Kills every `terraform-provider-hub` of the CLI's group after `k` writes (API or AWS).
pub(crate) struct KillProvider {
    pub k: usize,
    pub aws: bool,
}

impl Fault for KillProvider {
    fn inject(&mut self, _: &Sandbox, running: &Running, counter: &WriteCounter) -> tf::Result<String> {
        wait_for_writes(running, counter, self.k, self.aws)?;
        let at = (counter.api_writes(), counter.aws_writes());
        let pids = provider_pids(running);
        if pids.is_empty() {
            return Err(tf::Error::assertion(
                "no terraform-provider-hub process in the CLI's group",
            ));
        }
        for pid in &pids {
            // By PID, and only processes of the CLI's own group.
            if let Some(pid) = rustix::process::Pid::from_raw(*pid as i32) {
                let _ = rustix::process::kill_process(pid, rustix::process::Signal::KILL);
            }
        }
        Ok(format!(
            "provider SIGKILLed after {} {} writes ({} API, {} AWS done)",
            self.k,
            if self.aws { "AWS" } else { "API" },
            at.0,
            at.1
        ))
    }

    fn kills_provider(&self) -> bool {
        true
    }
}

pub(crate) fn small_stack() -> Stack {
    Stack::new("rel-kill", 5, 2)
}

/// CI: one kill in the middle of a small stack's apply (5 apps, 2 bindings), right after the first role
/// was created (AWS write 1 = CreateRole, before its inline policy).
#[test]
fn provider_killed_mid_apply_converges() -> tf::Result<()> {
    let (_lock, sb) = serial()?;
    let stack = small_stack();
    let mut fault = KillProvider { k: 1, aws: true };
    faulted_apply(
        sb,
        "provider SIGKILLed mid-apply (5 apps, 2 bindings)",
        &stack,
        &mut fault,
    )
    .map(drop)
}

#[test]
#[ignore = "heavy: make test-reliability"]
fn provider_killed_after_k_writes() -> tf::Result<()> {
    let (_lock, sb) = serial()?;
    for (k, aws) in [(10, false), (45, false), (80, false), (3, true)] {
        let stack = Stack::new("rel-kill", 20, 4);
        let mut fault = KillProvider { k, aws };
        faulted_apply(
            sb,
            "provider SIGKILLed after k writes (20 apps, 4 bindings)",
            &stack,
            &mut fault,
        )?;
    }
    Ok(())
}
