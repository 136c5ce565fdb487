//! PlanResourceChange: decodes the request, runs the framework's plan, encodes the answer. Private data is
//! echoed.

use crate::diag::Diagnostics;
use crate::framework::{ProviderContext, Registry, lifecycle};
use crate::proto::tfplugin6 as pb;

use super::{convert, identity};

pub(super) async fn plan_resource_change(
    registry: &Registry,
    ctx: &ProviderContext,
    req: pb::plan_resource_change::Request,
) -> pb::plan_resource_change::Response {
    let mut resp = pb::plan_resource_change::Response {
        planned_private: req.prior_private.clone(),
        ..Default::default()
    };
    let result = async {
        let entry = registry.find_resource(&req.type_name)?;
        let ty = &entry.ty;
        // Every value is decoded, even those a destroy plan does not use: a malformed request is an error.
        let proposed = convert::decode(req.proposed_new_state.as_ref(), ty, "proposed state")?;
        let prior = convert::decode(req.prior_state.as_ref(), ty, "prior state")?;
        let config = convert::decode(req.config.as_ref(), ty, "configuration")?;
        let planned = lifecycle::plan(entry, ctx, prior, config, proposed).await?;
        // Null while the identifying attributes are unknown (a create), which core accepts.
        let planned_identity = identity::of_state(entry, &planned.state)?;
        Ok::<_, Diagnostics>((
            convert::encode(&planned.state, ty, "planned state")?,
            planned_identity,
            planned,
        ))
    }
    .await;
    match result {
        Ok((state, planned_identity, planned)) => {
            resp.planned_state = Some(state);
            resp.planned_identity = planned_identity;
            resp.requires_replace = planned.requires_replace.iter().map(convert::path).collect();
            resp.diagnostics = convert::diagnostics(planned.diags);
        }
        Err(diags) => resp.diagnostics = convert::diagnostics(diags),
    }
    resp
}
