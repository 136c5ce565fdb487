//! The AWS endpoint unavailable in the middle of an apply of 10 `hub_irsa_binding`s. moto keeps its state
//! in memory only (a restarted moto has lost every role), so the outage is the fault proxy in front of it
//! stopped after k of N IAM writes for a 15 s window (connections refused), then started again; the SDK
//! retries meanwhile. The next apply must converge with every role whole.

use std::time::Duration;

use hub_acceptance::sandbox::Component;
use hub_acceptance::tf;

use crate::api_server::{StopAfter, baseline};
use crate::run::faulted_apply;
use crate::serial;
use crate::stack::Stack;

pub(crate) const BINDINGS: usize = 10;

#[test]
#[ignore = "heavy: make test-reliability"]
fn aws_unavailable_after_k_of_n_writes() -> tf::Result<()> {
    let (_lock, sb) = serial()?;
    let (_, n) = baseline(
        sb,
        "baseline: namespace + 10 IRSA bindings",
        &Stack::new("rel-awsbase", 0, BINDINGS),
    )?;
    for k in [n / 5, n / 2, n * 4 / 5] {
        let stack = Stack::new("rel-aws", 0, BINDINGS);
        let mut fault = StopAfter::new(Component::AwsProxy, k.max(1), n, true, Some(Duration::from_secs(15)));
        faulted_apply(
            sb,
            "AWS endpoint down 15 s after k of N writes (10 bindings)",
            &stack,
            &mut fault,
        )?;
    }
    Ok(())
}

/// The same outage with Pod Identity bindings: the writes are IAM's and EKS's (an association per binding),
/// so an outage can fall between a role and its association; the next apply must converge with no orphaned
/// association or role.
#[test]
#[ignore = "heavy: make test-reliability"]
fn aws_unavailable_after_k_of_n_writes_with_pod_identity() -> tf::Result<()> {
    let (_lock, sb) = serial()?;
    let (_, n) = baseline(
        sb,
        "baseline: namespace + 10 Pod Identity bindings",
        &Stack::new("rel-awspibase", 0, BINDINGS).with_pod_identity(),
    )?;
    for k in [n / 5, n / 2, n * 4 / 5] {
        let stack = Stack::new("rel-awspi", 0, BINDINGS).with_pod_identity();
        let mut fault = StopAfter::new(Component::AwsProxy, k.max(1), n, true, Some(Duration::from_secs(15)));
        faulted_apply(
            sb,
            "AWS endpoint down 15 s after k of N writes (10 Pod Identity bindings)",
            &stack,
            &mut fault,
        )?;
    }
    Ok(())
}
