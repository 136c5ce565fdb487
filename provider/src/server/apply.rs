//! ApplyResourceChange: decodes the request, runs the framework's apply, encodes the new state. Private
//! data is echoed; a request that cannot be decoded keeps the prior state.

use crate::diag::Diagnostics;
use crate::framework::{ProviderContext, Registry, lifecycle};
use crate::proto::tfplugin6 as pb;

use super::{convert, identity};

pub(super) async fn apply_resource_change(
    registry: &Registry,
    ctx: &ProviderContext,
    req: pb::apply_resource_change::Request,
) -> pb::apply_resource_change::Response {
    let mut resp = pb::apply_resource_change::Response {
        private: req.planned_private.clone(),
        ..Default::default()
    };
    let decoded = (|| {
        let entry = registry.find_resource(&req.type_name)?;
        let ty = &entry.ty;
        Ok::<_, Diagnostics>((
            entry,
            convert::decode(req.prior_state.as_ref(), ty, "prior state")?,
            convert::decode(req.planned_state.as_ref(), ty, "planned state")?,
            convert::decode(req.config.as_ref(), ty, "configuration")?,
        ))
    })();
    let (entry, prior, planned, config) = match decoded {
        Ok(v) => v,
        Err(d) => {
            resp.new_state = req.prior_state.clone();
            resp.diagnostics = convert::diagnostics(d);
            return resp;
        }
    };
    let (state, mut diags) = lifecycle::apply(entry, ctx, &prior, &planned, &config).await;
    match convert::encode(&state, &entry.ty, "new state") {
        Ok(dv) => resp.new_state = Some(dv),
        Err(d) => diags.extend(d),
    }
    match identity::of_state(entry, &state) {
        Ok(id) => resp.new_identity = id,
        Err(d) => diags.extend(d),
    }
    resp.diagnostics = convert::diagnostics(diags);
    resp
}
