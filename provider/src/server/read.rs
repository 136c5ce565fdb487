//! ReadResource (refresh): decodes the stored state, runs the framework's refresh, encodes the result.
//! Private data is echoed; on errors the stored state is kept.

use crate::diag::Diagnostics;
use crate::framework::lifecycle::{self, Refreshed};
use crate::framework::{ProviderContext, Registry};
use crate::proto::tfplugin6 as pb;

use super::{convert, identity};

pub(super) async fn read_resource(
    registry: &Registry,
    ctx: &ProviderContext,
    req: pb::read_resource::Request,
) -> pb::read_resource::Response {
    let mut diags = Diagnostics::new();
    let read = async {
        let entry = registry.find_resource(&req.type_name)?;
        let prior = convert::decode(req.current_state.as_ref(), &entry.ty, "state")?;
        match lifecycle::read(entry, ctx, &prior, &mut diags).await? {
            Refreshed::KeepStored => Ok((req.current_state.clone(), req.current_identity.clone())),
            Refreshed::Read(state) => Ok((
                Some(convert::encode(&state, &entry.ty, "refreshed state")?),
                identity::of_state(entry, &state)?,
            )),
        }
    }
    .await;
    let (new_state, new_identity) = match read {
        Ok(v) => v,
        Err(d) => {
            diags.extend(d);
            (req.current_state.clone(), req.current_identity.clone())
        }
    };
    pb::read_resource::Response {
        new_state,
        diagnostics: convert::diagnostics(diags),
        private: req.private,
        new_identity,
        ..Default::default()
    }
}
