//! ImportResourceState: an import id to a skeleton state; ReadResource then fills in the rest.

use crate::diag::Diagnostics;
use crate::framework::registry::ResourceEntry;
use crate::value::Value;

/// The skeleton state for an import id.
pub fn import(entry: &ResourceEntry, id: &str) -> Result<Value, Diagnostics> {
    entry.imp.import(&entry.ty, id)
}
