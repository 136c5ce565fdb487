//! ImportResourceState: the framework's skeleton state for an import id, or for an identity (Terraform
//! 1.12+), on the wire, with the identity of the object it names.

use crate::diag::Diagnostics;
use crate::framework::{Registry, lifecycle};
use crate::proto::tfplugin6 as pb;

use super::{convert, identity};

pub(super) fn import_resource_state(
    registry: &Registry,
    req: &pb::import_resource_state::Request,
) -> pb::import_resource_state::Response {
    let _span = crate::logging::rpc_span("ImportResourceState").entered();
    let result = registry.find_resource(&req.type_name).and_then(|entry| {
        let state = match &req.identity {
            // Core sends an identity only for `import { identity = ... }`; the id is then empty.
            Some(data) if req.id.is_empty() => {
                let given = identity::decode(entry, Some(data))?;
                let id = lifecycle::import_id(entry, &given)?;
                lifecycle::import(entry, &id).map_err(|d| lifecycle::for_identity(entry, d, &id))?
            }
            _ => lifecycle::import(entry, &req.id)?,
        };
        Ok::<_, Diagnostics>((
            convert::encode(&state, &entry.ty, "imported state")?,
            identity::of_state(entry, &state)?,
        ))
    });
    match result {
        Ok((state, identity)) => pb::import_resource_state::Response {
            imported_resources: vec![pb::import_resource_state::ImportedResource {
                type_name: req.type_name.clone(),
                state: Some(state),
                identity,
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
