//! Many resources at once: 200 (a namespace, 150 apps, 49 IRSA bindings) applied and destroyed at
//! `-parallelism=20`. Nothing may fail, and the result must be exactly what one resource at a time would
//! give: an empty plan after the apply, every object and role once, nothing left after destroy.
//!
//! The provider's shared state is what concurrency could break: the batched refresh reads
//! (`k8s/batch_read.rs`), the lazily built AWS clients and the per-process EKS add-on cache. All of it is
//! safe Rust behind mutexes, once-cells and atomics (the provider has no `unsafe`), so a data race cannot
//! compile; what is left to test is logic under contention, which this run exercises.

use crate::api_server::baseline;
use crate::serial;
use crate::stack::Stack;
use hub_acceptance::tf;

#[test]
#[ignore = "heavy: make test-reliability"]
fn two_hundred_resources_at_parallelism_20() -> tf::Result<()> {
    let (_lock, sb) = serial()?;
    let mut stack = Stack::new("rel-conc", 150, 49);
    stack.parallelism = 20;
    let scenario = "200 resources at -parallelism=20 (1 namespace, 150 apps, 49 bindings)";
    let (row, _) = baseline(sb, scenario, &stack)?;
    if !row.survived {
        return Err(tf::Error::assertion(format!(
            "{scenario}: the apply failed: {}",
            row.message
        )));
    }
    Ok(())
}
