//! ImportResourceState: the framework's skeleton state for an import id, on the wire.

use crate::framework::{Registry, lifecycle};
use crate::proto::tfplugin6 as pb;

use super::convert;

pub(super) fn import_resource_state(
    registry: &Registry,
    req: &pb::import_resource_state::Request,
) -> pb::import_resource_state::Response {
    let _span = crate::logging::rpc_span("ImportResourceState").entered();
    let result = registry.find_resource(&req.type_name).and_then(|entry| {
        let state = lifecycle::import(entry, &req.id)?;
        convert::encode(&state, &entry.ty, "imported state")
    });
    match result {
        Ok(state) => pb::import_resource_state::Response {
            imported_resources: vec![pb::import_resource_state::ImportedResource {
                type_name: req.type_name.clone(),
                state: Some(state),
                ..Default::default()
            }],
            ..Default::default()
        },
        Err(diags) => pb::import_resource_state::Response {
            diagnostics: convert::diagnostics(diags),
            ..Default::default()
        },
    }
}
