//! Faults in the middle of an apply of the dev stack, the configuration users start from
//! (`examples/local-demo` with `examples/eks-stack/dev.tfvars`: the apps module in EKS mode, so a namespace
//! with quota, default-deny and DNS policies, the api and worker apps, the api's IRSA binding and one policy
//! per app). N comes from an unfaulted apply; then the API server is stopped after a third and two thirds
//! of the writes, the provider is SIGKILLed half-way, and the CLI is interrupted at a random point. Each
//! time the next apply must converge with nothing orphaned or duplicated.

use std::time::Duration;

use hub_acceptance::sandbox::Component;
use hub_acceptance::tf;

use crate::api_server::{StopAfter, baseline};
use crate::interrupt::{Interrupt, random_between};
use crate::provider_kill::KillProvider;
use crate::run::faulted_apply;
use crate::serial;
use crate::stack::Stack;

#[test]
#[ignore = "heavy: make test-reliability"]
fn dev_stack_faulted_mid_apply() -> tf::Result<()> {
    let (_lock, sb) = serial()?;
    let (_, n) = baseline(sb, "baseline: the dev stack", &Stack::dev("rel-dev-base"))?;
    for k in [n / 3, n * 2 / 3] {
        let mut fault = StopAfter::new(Component::KubeApiserver, k.max(1), n, false, None);
        faulted_apply(
            sb,
            "dev stack: kube-apiserver stopped after k of N writes",
            &Stack::dev("rel-dev-api"),
            &mut fault,
        )?;
    }
    let mut kill = KillProvider {
        k: (n / 2).max(1),
        aws: false,
    };
    faulted_apply(
        sb,
        "dev stack: provider SIGKILLed after k writes",
        &Stack::dev("rel-dev-kill"),
        &mut kill,
    )?;
    let mut interrupt = Interrupt {
        after: random_between(Duration::from_millis(300), Duration::from_secs(3)),
    };
    faulted_apply(
        sb,
        "dev stack: CLI interrupted (SIGINT) at a random point",
        &Stack::dev("rel-dev-sigint"),
        &mut interrupt,
    )?;
    Ok(())
}
