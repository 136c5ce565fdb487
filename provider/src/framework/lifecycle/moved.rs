//! MoveResourceState: another resource type's stored state to this type's, by the resource's own
//! `move_state`. Write-only attributes are never stored, and the move is refused before the resource sees
//! a state that is not a JSON object.

use crate::diag::Diagnostics;
use crate::framework::MoveSource;
use crate::framework::plan::strip_write_only;
use crate::framework::registry::ResourceEntry;
use crate::value::Value;

/// The state of `entry`'s type for a resource of type `source_type` moved to it (`raw` is its stored JSON),
/// with any warnings; `None` with errors when the move is refused.
pub fn move_state(
    entry: &ResourceEntry,
    (provider_address, source_type, version): (&str, &str, i64),
    raw: &[u8],
) -> (Option<Value>, Diagnostics) {
    let mut diags = Diagnostics::new();
    let target = entry.imp.type_name();
    let state = match serde_json::from_slice::<serde_json::Value>(raw) {
        Ok(state) if state.is_object() => state,
        Ok(_) => {
            diags.error(
                "Nothing To Move",
                format!("The stored state of {source_type} holds no object to move to {target}."),
            );
            return (None, diags);
        }
        Err(e) => {
            diags.error(
                "Unreadable Source State",
                format!("The stored state of {source_type} (moved to {target}) is not JSON: {e}."),
            );
            return (None, diags);
        }
    };
    let source = MoveSource {
        provider_address: provider_address.to_owned(),
        type_name: source_type.to_owned(),
        schema_version: version,
        state,
    };
    let value = entry.imp.move_state(&entry.ty, &source, &mut diags).map(|mut value| {
        strip_write_only(&entry.schema.block, &mut value);
        value
    });
    // A state with errors would be stored anyway: an error always refuses the move.
    (value.filter(|_| !diags.has_errors()), diags)
}
