//! PlanResourceChange: destroy plans pass through (with the resource's warnings about what the destroy does); create and update plans run the generic algorithm, then
//! the resource's refinements. A create or update of a resource that lives in the cluster needs a provider
//! block naming a cluster that answers (one `GET /version` per process); while the provider configuration is
//! unknown, plans come from configuration alone.

use crate::diag::Diagnostics;
use crate::framework::erased::ValuePlan;
use crate::framework::registry::ResourceEntry;
use crate::framework::{ProviderContext, plan::plan as generic_plan};
use crate::value::{AttributePath, Value};

/// A plan: the planned state, the sorted paths forcing replacement, and diagnostics.
pub struct Planned {
    /// The planned state (null for a destroy).
    pub state: Value,
    /// Attributes whose change forces replacement, sorted and without duplicates.
    pub requires_replace: Vec<AttributePath>,
    /// Problems found (warnings, or errors refusing the plan).
    pub diags: Diagnostics,
}

/// Plans a change from prior state (null on create), configuration and core's proposed state (null on
/// destroy).
pub async fn plan(
    entry: &ResourceEntry,
    ctx: &ProviderContext,
    prior: Value,
    config: Value,
    proposed: Value,
) -> Result<Planned, Diagnostics> {
    if proposed.is_null() {
        let mut diags = Diagnostics::new();
        if !prior.is_null() {
            entry.imp.plan_destroy(&prior, &mut diags);
        }
        return Ok(Planned {
            state: proposed,
            requires_replace: Vec::new(),
            diags,
        });
    }
    // A create or update that apply could not carry out fails here, not at apply.
    if entry.imp.needs_cluster() {
        ctx.cluster_for_plan().await?;
    }
    let prior = (!prior.is_null()).then_some(prior);
    let (planned, requires_replace) = generic_plan(&entry.schema.block, prior.as_ref(), &config, &proposed);
    let generic = ValuePlan {
        planned,
        requires_replace,
        diags: Diagnostics::new(),
    };
    let refined = entry
        .imp
        .modify_plan(ctx, &entry.ty, prior.as_ref(), &config, generic)
        .await?;
    let mut paths = refined.requires_replace;
    paths.sort();
    paths.dedup();
    Ok(Planned {
        state: refined.planned,
        requires_replace: paths,
        diags: refined.diags,
    })
}
