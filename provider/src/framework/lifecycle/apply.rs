//! ApplyResourceChange: create, update or delete, then what core will check: a wholly known state without
//! write-only values, a state after every successful create, null after delete. Partial state plus errors
//! is passed through so nothing created is forgotten (core taints it).

use crate::diag::Diagnostics;
use crate::framework::registry::ResourceEntry;
use crate::framework::{ProviderContext, plan::strip_write_only};
use crate::value::{AttributePath, Value};

/// Applies a planned change; returns the new state (null when nothing exists) and diagnostics.
pub async fn apply(
    entry: &ResourceEntry,
    ctx: &ProviderContext,
    prior: &Value,
    planned: &Value,
    config: &Value,
) -> (Value, Diagnostics) {
    let type_name = entry.imp.type_name();
    // Objects listed for refresh reads could be stale once this process writes.
    ctx.forget_reads();
    let outcome = entry.imp.apply(ctx, &entry.ty, prior, planned, config).await;
    let mut diags = outcome.diags;
    let mut state = outcome.state.unwrap_or(Value::Null);
    if !planned.is_null() && state.is_null() && !diags.has_errors() {
        diags.bug(
            "Missing Resource State After Apply",
            format!("{type_name} returned no state and no error."),
        );
    }
    if !state.is_wholly_known() {
        let mut unknown = Vec::new();
        state.walk(&AttributePath::root(), &mut |p, v| {
            if matches!(v, Value::Unknown(_)) {
                unknown.push(p.to_string());
            }
        });
        diags.bug(
            "Unknown Value After Apply",
            format!("{type_name} left these values unknown: {}", unknown.join(", ")),
        );
        state = Value::Null;
    }
    strip_write_only(&entry.schema.block, &mut state);
    (state, diags)
}
