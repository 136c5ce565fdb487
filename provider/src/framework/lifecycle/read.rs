//! ReadResource (refresh): the remote object as it is now, null when it is gone. With an unknown provider
//! configuration nothing can be read, so prior state is kept with a warning.

use crate::diag::Diagnostics;
use crate::framework::registry::ResourceEntry;
use crate::framework::{ProviderContext, plan::strip_write_only};
use crate::value::Value;

/// What refresh found.
pub enum Refreshed {
    /// The state as read now (null: gone).
    Read(Value),
    /// Nothing could be read: keep the stored state exactly as it was sent.
    KeepStored,
}

/// Refreshes one resource's state.
pub async fn read(
    entry: &ResourceEntry,
    ctx: &ProviderContext,
    prior: &Value,
    diags: &mut Diagnostics,
) -> Result<Refreshed, Diagnostics> {
    if ctx.config_unknown() {
        diags.warning(
            "Resource Not Refreshed",
            format!(
                "The hub provider configuration is not known yet (it depends on resources being created), \
                 so {} was not read from the cluster; its last known state is used.",
                entry.imp.type_name()
            ),
        );
        return Ok(Refreshed::KeepStored);
    }
    if prior.is_null() {
        return Ok(Refreshed::KeepStored);
    }
    let mut state = entry.imp.read(ctx, &entry.ty, prior).await?;
    strip_write_only(&entry.schema.block, &mut state);
    Ok(Refreshed::Read(state))
}
