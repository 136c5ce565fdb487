//! ValidateProviderConfig, ValidateResourceConfig and ValidateDataResourceConfig: the framework's
//! validation, on the wire.

use crate::diag::Diagnostics;
use crate::framework::{Registry, lifecycle};
use crate::proto::tfplugin6 as pb;

use super::convert;

pub(super) fn provider(
    registry: &Registry,
    req: &pb::validate_provider_config::Request,
) -> pb::validate_provider_config::Response {
    let diags = match &registry.provider {
        Some(entry) => convert::decode(req.config.as_ref(), &entry.ty, "provider configuration")
            .map_or_else(|d| d, |config| lifecycle::validate_provider(entry, &config)),
        None => Diagnostics::new(),
    };
    pb::validate_provider_config::Response {
        diagnostics: convert::diagnostics(diags),
    }
}

pub(super) fn resource(
    registry: &Registry,
    req: &pb::validate_resource_config::Request,
) -> pb::validate_resource_config::Response {
    let diags = registry
        .find_resource(&req.type_name)
        .and_then(|entry| {
            let config = convert::decode(req.config.as_ref(), &entry.ty, "resource configuration")?;
            let write_only = convert::write_only_allowed(req.client_capabilities.as_ref());
            Ok(lifecycle::validate_resource(entry, &config, write_only))
        })
        .unwrap_or_else(|d| d);
    pb::validate_resource_config::Response {
        diagnostics: convert::diagnostics(diags),
    }
}

pub(super) fn data_source(
    registry: &Registry,
    req: &pb::validate_data_resource_config::Request,
) -> pb::validate_data_resource_config::Response {
    let diags = registry
        .find_data_source(&req.type_name)
        .and_then(|entry| {
            let config = convert::decode(req.config.as_ref(), &entry.ty, "data source configuration")?;
            Ok(lifecycle::validate_data_source(entry, &config))
        })
        .unwrap_or_else(|d| d);
    pb::validate_data_resource_config::Response {
        diagnostics: convert::diagnostics(diags),
    }
}
