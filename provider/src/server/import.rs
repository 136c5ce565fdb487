//! ImportResourceState: an import id to a minimal state; ReadResource then fills in the rest.

use crate::framework::Registry;
use crate::proto::tfplugin6 as pb;

use super::convert;

pub(super) fn import_resource_state(
    registry: &Registry,
    req: &pb::import_resource_state::Request,
) -> pb::import_resource_state::Response {
    let _span = crate::logging::rpc_span("ImportResourceState").entered();
    let result = registry
        .resources
        .get(req.type_name.as_str())
        .ok_or_else(|| {
            crate::diag::Diagnostics::from_error(
                "Unknown Resource Type",
                format!("hub has no resource type {:?}.", req.type_name),
            )
        })
        .and_then(|entry| {
            let state = entry.imp.import(&req.id)?;
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
