//! UpgradeResourceState: the stored JSON state through the framework's upgrade, on the wire. hub has only
//! ever written JSON state, so the pre-0.12 flatmap form is refused.

use crate::diag::Diagnostics;
use crate::framework::{Registry, lifecycle};
use crate::proto::tfplugin6 as pb;

use super::convert;

pub(super) fn upgrade_resource_state(
    registry: &Registry,
    req: &pb::upgrade_resource_state::Request,
) -> pb::upgrade_resource_state::Response {
    let _span = crate::logging::rpc_span("UpgradeResourceState").entered();
    let mut diags = Diagnostics::new();
    let upgraded = (|| {
        let entry = registry.find_resource(&req.type_name)?;
        let raw = req.raw_state.as_ref().map(|r| r.json.as_slice()).unwrap_or_default();
        if raw.is_empty() && req.raw_state.as_ref().is_some_and(|r| !r.flatmap.is_empty()) {
            return Err(Diagnostics::from_error(
                "Legacy State Not Supported",
                "This state is in the pre-0.12 flatmap format, which hub never wrote.",
            ));
        }
        let value = lifecycle::upgrade(entry, req.version, raw)?;
        convert::encode(&value, &entry.ty, "upgraded state")
    })();
    let upgraded_state = match upgraded {
        Ok(dv) => Some(dv),
        Err(d) => {
            diags.extend(d);
            None
        }
    };
    pb::upgrade_resource_state::Response {
        upgraded_state,
        diagnostics: convert::diagnostics(diags),
    }
}
