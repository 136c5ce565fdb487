//! ReadDataSource: decodes the configuration, runs the framework's read, encodes the result.

use crate::framework::{ProviderContext, Registry, lifecycle};
use crate::proto::tfplugin6 as pb;

use super::convert;

pub(super) async fn read_data_source(
    registry: &Registry,
    ctx: &ProviderContext,
    req: &pb::read_data_source::Request,
) -> pb::read_data_source::Response {
    let result = async {
        let entry = registry.find_data_source(&req.type_name)?;
        let config = convert::decode(req.config.as_ref(), &entry.ty, "data source configuration")?;
        let state = lifecycle::read_data_source(entry, ctx, &config).await?;
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
