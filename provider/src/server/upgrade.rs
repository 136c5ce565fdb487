//! UpgradeResourceState: stored JSON state to the current schema. Attributes the schema no longer has are
//! dropped, new ones start null, and write-only attributes are always null.

use crate::diag::Diagnostics;
use crate::framework::{Registry, plan::strip_write_only};
use crate::proto::tfplugin6 as pb;
use crate::value::{Value, json};

use super::convert;

pub(super) fn upgrade_resource_state(
    registry: &Registry,
    req: &pb::upgrade_resource_state::Request,
) -> pb::upgrade_resource_state::Response {
    let _span = crate::logging::rpc_span("UpgradeResourceState").entered();
    let mut diags = Diagnostics::new();
    let upgraded = (|| {
        let entry = registry.resources.get(req.type_name.as_str()).ok_or_else(|| {
            Diagnostics::from_error(
                "Unknown Resource Type",
                format!("hub has no resource type {:?}.", req.type_name),
            )
        })?;
        if req.version > entry.schema.version {
            return Err(Diagnostics::from_error(
                "State From A Newer Provider",
                format!(
                    "This state was written by a hub provider with schema version {}, newer than this one ({}). \
                     Upgrade the provider.",
                    req.version, entry.schema.version
                ),
            ));
        }
        let raw = req.raw_state.as_ref().map(|r| r.json.as_slice()).unwrap_or_default();
        if raw.is_empty() {
            if req.raw_state.as_ref().is_some_and(|r| !r.flatmap.is_empty()) {
                return Err(Diagnostics::from_error(
                    "Legacy State Not Supported",
                    "This state is in the pre-0.12 flatmap format, which hub never wrote.",
                ));
            }
            return convert::encode(&Value::Null, &entry.ty, "state");
        }
        let mut value = json::decode_ignoring_undefined(raw, &entry.ty).map_err(|e| {
            Diagnostics::from_error(
                "Unreadable State",
                format!("The stored state of {} cannot be read: {e}", req.type_name),
            )
        })?;
        strip_write_only(&entry.schema.block, &mut value);
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
