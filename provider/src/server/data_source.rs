//! ReadDataSource: the data source's result, which must be wholly known.

use crate::diag::Diagnostics;
use crate::framework::{ProviderContext, Registry};
use crate::proto::tfplugin6 as pb;

use super::convert;

pub(super) async fn read_data_source(
    registry: &Registry,
    ctx: &ProviderContext,
    req: &pb::read_data_source::Request,
) -> pb::read_data_source::Response {
    let result = async {
        let entry = registry.data_sources.get(req.type_name.as_str()).ok_or_else(|| {
            Diagnostics::from_error(
                "Unknown Data Source",
                format!("hub has no data source {:?}.", req.type_name),
            )
        })?;
        let config = convert::decode(req.config.as_ref(), &entry.ty, "data source configuration")?;
        let state = entry.imp.read(ctx, &config).await?;
        if !state.is_wholly_known() || state.is_null() {
            return Err(Diagnostics::from_error(
                "Incomplete Data Source Result",
                format!(
                    "{} produced a null or partly unknown result. This is a bug in hub.",
                    req.type_name
                ),
            ));
        }
        convert::encode(&state, &entry.ty, "data source result")
    }
    .await;
    match result {
        Ok(state) => pb::read_data_source::Response {
            state: Some(state),
            ..Default::default()
        },
        Err(d) => pb::read_data_source::Response {
            diagnostics: convert::diagnostics(d),
            ..Default::default()
        },
    }
}
