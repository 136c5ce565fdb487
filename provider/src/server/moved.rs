//! MoveResourceState: a `moved {}` block from another resource type (another provider's, such as
//! `kubernetes_deployment_v1`) through the framework's move, on the wire, with the moved object's identity.

use crate::diag::Diagnostics;
use crate::framework::{Registry, lifecycle};
use crate::proto::tfplugin6 as pb;

use super::{convert, identity};

pub(super) fn move_resource_state(
    registry: &Registry,
    req: &pb::move_resource_state::Request,
) -> pb::move_resource_state::Response {
    let _span = crate::logging::rpc_span("MoveResourceState").entered();
    tracing::info!(
        tf_rpc = "MoveResourceState",
        source_provider_address = %req.source_provider_address,
        source_type_name = %req.source_type_name,
        source_schema_version = req.source_schema_version,
        target_type_name = %req.target_type_name,
        "moving a resource across types"
    );
    let mut diags = Diagnostics::new();
    let moved = registry
        .find_resource(&req.target_type_name)
        .map_err(|d| diags.extend(d))
        .ok()
        .and_then(|entry| {
            let raw = req.source_state.as_ref().map(|r| r.json.as_slice()).unwrap_or_default();
            let source = (
                req.source_provider_address.as_str(),
                req.source_type_name.as_str(),
                req.source_schema_version,
            );
            let (state, found) = lifecycle::move_state(entry, source, raw);
            diags.extend(found);
            let state = state?;
            let encoded = (|| {
                Ok::<_, Diagnostics>((
                    convert::encode(&state, &entry.ty, "moved state")?,
                    identity::of_state(entry, &state)?,
                ))
            })();
            encoded.map_err(|d| diags.extend(d)).ok()
        });
    let (target_state, target_identity) = match moved {
        Some((state, identity)) => (Some(state), identity),
        None => (None, None),
    };
    pb::move_resource_state::Response {
        target_state,
        target_identity,
        diagnostics: convert::diagnostics(diags),
        ..Default::default()
    }
}
