//! ValidateEphemeralResourceConfig, OpenEphemeralResource, RenewEphemeralResource and
//! CloseEphemeralResource. hub's ephemeral resources hold no remote lease: Open computes the result and
//! Close has nothing to release.
//!
//! Renew is never asked for: Open returns no `renew_at`. In tfplugin6 a renewal answers only a new
//! `renew_at` and new private data, never a new result, so it could extend a lease but cannot hand a
//! consumer a fresh value; a provider already configured from `hub_eks_token.token` keeps the token it
//! got. Token freshness therefore comes from the consumer side (`hub_eks_token.exec`, an exec credential
//! plugin client-go re-runs), and the `renew_at` *attribute* says when that happens. Should a CLI call Renew
//! anyway, the answer is empty (no error, no new deadline), which ends renewal.

use crate::framework::{ProviderContext, Registry, lifecycle};
use crate::proto::tfplugin6 as pb;

use super::convert;

pub(super) fn validate(
    registry: &Registry,
    req: &pb::validate_ephemeral_resource_config::Request,
) -> pb::validate_ephemeral_resource_config::Response {
    let diags = registry
        .find_ephemeral_resource(&req.type_name)
        .and_then(|entry| {
            let config = convert::decode(req.config.as_ref(), &entry.ty, "ephemeral resource configuration")?;
            Ok(lifecycle::validate_ephemeral_resource(entry, &config))
        })
        .unwrap_or_else(|d| d);
    pb::validate_ephemeral_resource_config::Response {
        diagnostics: convert::diagnostics(diags),
    }
}

pub(super) async fn open(
    registry: &Registry,
    ctx: &ProviderContext,
    req: &pb::open_ephemeral_resource::Request,
) -> pb::open_ephemeral_resource::Response {
    let result = async {
        let entry = registry.find_ephemeral_resource(&req.type_name)?;
        let config = convert::decode(req.config.as_ref(), &entry.ty, "ephemeral resource configuration")?;
        let opened = lifecycle::read_data_source(entry, ctx, &config).await?;
        convert::encode(&opened, &entry.ty, "ephemeral resource result")
    }
    .await;
    match result {
        Ok(result) => pb::open_ephemeral_resource::Response {
            result: Some(result),
            ..Default::default()
        },
        Err(d) => pb::open_ephemeral_resource::Response {
            diagnostics: convert::diagnostics(d),
            ..Default::default()
        },
    }
}

pub(super) fn renew(
    registry: &Registry,
    req: &pb::renew_ephemeral_resource::Request,
) -> pb::renew_ephemeral_resource::Response {
    pb::renew_ephemeral_resource::Response {
        diagnostics: convert::diagnostics(
            registry
                .find_ephemeral_resource(&req.type_name)
                .err()
                .unwrap_or_default(),
        ),
        ..Default::default()
    }
}

pub(super) fn close(
    registry: &Registry,
    req: &pb::close_ephemeral_resource::Request,
) -> pb::close_ephemeral_resource::Response {
    pb::close_ephemeral_resource::Response {
        diagnostics: convert::diagnostics(
            registry
                .find_ephemeral_resource(&req.type_name)
                .err()
                .unwrap_or_default(),
        ),
    }
}
