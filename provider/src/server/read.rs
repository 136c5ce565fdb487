//! ReadResource (refresh): the remote object as it is now, null when it is gone. With an unknown provider
//! configuration nothing can be read, so prior state is kept with a warning. Private data is echoed.

use crate::diag::Diagnostics;
use crate::framework::{ProviderContext, Registry, plan::strip_write_only};
use crate::proto::tfplugin6 as pb;
use crate::value::Value;

use super::convert;

pub(super) async fn read_resource(
    registry: &Registry,
    ctx: &ProviderContext,
    req: pb::read_resource::Request,
) -> pb::read_resource::Response {
    let mut diags = Diagnostics::new();
    let new_state = async {
        let entry = registry.resources.get(req.type_name.as_str()).ok_or_else(|| {
            Diagnostics::from_error(
                "Unknown Resource Type",
                format!("hub has no resource type {:?}.", req.type_name),
            )
        })?;
        if ctx.config_unknown() {
            diags.warning(
                "Resource Not Refreshed",
                format!(
                    "The hub provider configuration is not known yet (it depends on resources being created), \
                     so {} was not read from the cluster; its last known state is used.",
                    req.type_name
                ),
            );
            return Ok(req.current_state.clone());
        }
        let prior = convert::decode(req.current_state.as_ref(), &entry.ty, "state")?;
        if prior.is_null() {
            return Ok(req.current_state.clone());
        }
        let mut state = entry.imp.read(ctx, &prior).await?.unwrap_or(Value::Null);
        strip_write_only(&entry.schema.block, &mut state);
        convert::encode(&state, &entry.ty, "refreshed state").map(Some)
    }
    .await;
    let new_state = match new_state {
        Ok(dv) => dv,
        Err(d) => {
            diags.extend(d);
            req.current_state.clone()
        }
    };
    pb::read_resource::Response {
        new_state,
        diagnostics: convert::diagnostics(diags),
        private: req.private,
        ..Default::default()
    }
}
