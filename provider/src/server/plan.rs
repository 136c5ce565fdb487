//! PlanResourceChange: destroy plans echo private data; create and update plans run the framework's
//! generic algorithm, then the resource's own refinements. A create or update of a resource that lives in
//! the cluster needs a provider block that names a cluster that answers (one `GET /version` per process);
//! while the provider configuration is unknown, plans come from configuration alone.

use crate::diag::Diagnostics;
use crate::framework::{PlanChange, ProviderContext, Registry, plan};
use crate::proto::tfplugin6 as pb;

use super::convert;

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
        let entry = registry.resources.get(req.type_name.as_str()).ok_or_else(|| {
            Diagnostics::from_error(
                "Unknown Resource Type",
                format!("hub has no resource type {:?}.", req.type_name),
            )
        })?;
        let ty = &entry.ty;
        // Every value is decoded, even those a destroy plan does not use: a malformed request is an error.
        let proposed = convert::decode(req.proposed_new_state.as_ref(), ty, "proposed state")?;
        let prior = convert::decode(req.prior_state.as_ref(), ty, "prior state")?;
        let config = convert::decode(req.config.as_ref(), ty, "configuration")?;
        if proposed.is_null() {
            return Ok((
                convert::encode(&proposed, ty, "planned state")?,
                Vec::new(),
                Diagnostics::new(),
            ));
        }
        // A create or update that apply could not carry out fails here, not at apply.
        if entry.imp.needs_cluster() {
            ctx.cluster_for_plan().await?;
        }
        let prior = (!prior.is_null()).then_some(prior);
        let (planned, requires_replace) = plan::plan(&entry.schema.block, prior.as_ref(), &config, &proposed);
        let mut change = PlanChange {
            prior: prior.as_ref(),
            config: &config,
            planned,
            requires_replace,
            diags: Diagnostics::new(),
        };
        entry.imp.modify_plan(ctx, &mut change).await;
        let mut paths = change.requires_replace;
        paths.sort();
        paths.dedup();
        Ok((
            convert::encode(&change.planned, ty, "planned state")?,
            paths,
            change.diags,
        ))
    }
    .await;
    match result {
        Ok((planned, paths, diags)) => {
            resp.planned_state = Some(planned);
            resp.requires_replace = paths.iter().map(convert::path).collect();
            resp.diagnostics = convert::diagnostics(diags);
        }
        Err(diags) => resp.diagnostics = convert::diagnostics(diags),
    }
    resp
}
