//! ReadDataSource: the data source's result, which must be wholly known.

use crate::diag::Diagnostics;
use crate::framework::ProviderContext;
use crate::framework::registry::DataSourceEntry;
use crate::value::Value;

/// Reads a data source.
pub async fn read_data_source(
    entry: &DataSourceEntry,
    ctx: &ProviderContext,
    config: &Value,
) -> Result<Value, Diagnostics> {
    let state = entry.imp.read(ctx, &entry.ty, config).await?;
    if !state.is_wholly_known() || state.is_null() {
        return Err(Diagnostics::from_error(
            "Incomplete Data Source Result",
            format!(
                "{} produced a null or partly unknown result. This is a bug in hub.",
                entry.imp.type_name()
            ),
        ));
    }
    Ok(state)
}
