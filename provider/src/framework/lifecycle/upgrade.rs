//! UpgradeResourceState: stored JSON state to the current schema. Attributes the schema no longer has are
//! dropped, new ones start null, and write-only attributes are always null.

use crate::diag::Diagnostics;
use crate::framework::plan::strip_write_only;
use crate::framework::registry::ResourceEntry;
use crate::value::{Value, json};

/// Upgrades stored state written with schema `version` (`raw` is its JSON; empty means none).
pub fn upgrade(entry: &ResourceEntry, version: i64, raw: &[u8]) -> Result<Value, Diagnostics> {
    if version > entry.schema.version {
        return Err(Diagnostics::from_error(
            "State From A Newer Provider",
            format!(
                "This state was written by a hub provider with schema version {version}, newer than this one ({}). \
                 Upgrade the provider.",
                entry.schema.version
            ),
        ));
    }
    if raw.is_empty() {
        return Ok(Value::Null);
    }
    let mut value = json::decode_ignoring_undefined(raw, &entry.ty).map_err(|e| {
        Diagnostics::from_error(
            "Unreadable State",
            format!("The stored state of {} cannot be read: {e}", entry.imp.type_name()),
        )
    })?;
    strip_write_only(&entry.schema.block, &mut value);
    Ok(value)
}
