//! ApplyResourceChange: dispatches to create, update or delete, then enforces what core will check: a
//! wholly known state without write-only values, a state after every successful create, null after delete.
//! Partial state plus errors is passed through so nothing created is forgotten (core taints it).

use crate::diag::Diagnostics;
use crate::framework::{ApplyOutcome, ProviderContext, Registry, plan::strip_write_only};
use crate::proto::tfplugin6 as pb;
use crate::value::{AttributePath, Value};

use super::convert;

pub(super) async fn apply_resource_change(
    registry: &Registry,
    ctx: &ProviderContext,
    req: pb::apply_resource_change::Request,
) -> pb::apply_resource_change::Response {
    let mut resp = pb::apply_resource_change::Response {
        private: req.planned_private.clone(),
        ..Default::default()
    };
    let Some(entry) = registry.resources.get(req.type_name.as_str()) else {
        let d = Diagnostics::from_error(
            "Unknown Resource Type",
            format!("hub has no resource type {:?}.", req.type_name),
        );
        resp.diagnostics = convert::diagnostics(d);
        return resp;
    };
    let ty = &entry.ty;
    let decoded = (|| {
        Ok::<_, Diagnostics>((
            convert::decode(req.prior_state.as_ref(), ty, "prior state")?,
            convert::decode(req.planned_state.as_ref(), ty, "planned state")?,
            convert::decode(req.config.as_ref(), ty, "configuration")?,
        ))
    })();
    let (prior, planned, config) = match decoded {
        Ok(v) => v,
        Err(d) => {
            resp.new_state = req.prior_state.clone();
            resp.diagnostics = convert::diagnostics(d);
            return resp;
        }
    };
    let imp = &entry.imp;
    // Objects listed for refresh reads could be stale once this process writes.
    ctx.reads.clear();
    let outcome = if planned.is_null() {
        let diags = imp.delete(ctx, &prior).await;
        // On failure the object may still exist: keep it in state.
        let state = diags.has_errors().then_some(prior.clone());
        ApplyOutcome { state, diags }
    } else if prior.is_null() {
        imp.create(ctx, &planned, &config).await
    } else {
        imp.update(ctx, &prior, &planned, &config).await
    };
    let ApplyOutcome { state, mut diags } = outcome;
    let mut state = state.unwrap_or(Value::Null);
    if !planned.is_null() && state.is_null() && !diags.has_errors() {
        diags.bug(
            "Missing Resource State After Apply",
            format!("{} returned no state and no error.", req.type_name),
        );
    }
    if !state.is_wholly_known() {
        let mut unknown = Vec::new();
        state.walk(&AttributePath::root(), &mut |p, v| {
            if matches!(v, Value::Unknown(_)) {
                unknown.push(p.to_string());
            }
        });
        diags.bug(
            "Unknown Value After Apply",
            format!("{} left these values unknown: {}", req.type_name, unknown.join(", ")),
        );
        state = Value::Null;
    }
    strip_write_only(&entry.schema.block, &mut state);
    match convert::encode(&state, ty, "new state") {
        Ok(dv) => resp.new_state = Some(dv),
        Err(d) => diags.extend(d),
    }
    resp.diagnostics = convert::diagnostics(diags);
    resp
}
