//! ValidateProviderConfig, ValidateResourceConfig and ValidateDataResourceConfig: schema validators plus
//! each type's own cross-attribute checks. Unknown values are skipped; core validates again later.

use crate::diag::Diagnostics;
use crate::framework::{Registry, validate::validate_block};
use crate::proto::tfplugin6 as pb;
use crate::value::AttributePath;

use super::convert;

pub(super) fn provider(
    registry: &Registry,
    req: &pb::validate_provider_config::Request,
) -> pb::validate_provider_config::Response {
    let mut diags = Diagnostics::new();
    if let Some((schema, ty)) = &registry.provider {
        match convert::decode(req.config.as_ref(), ty, "provider configuration") {
            Ok(config) => {
                validate_block(&schema.block, &config, &AttributePath::root(), true, &mut diags);
                crate::config::validate(&config, &mut diags);
            }
            Err(d) => diags.extend(d),
        }
    }
    pb::validate_provider_config::Response {
        diagnostics: convert::diagnostics(diags),
    }
}

pub(super) fn resource(
    registry: &Registry,
    req: &pb::validate_resource_config::Request,
) -> pb::validate_resource_config::Response {
    let mut diags = Diagnostics::new();
    match registry.resources.get(req.type_name.as_str()) {
        None => diags.error(
            "Unknown Resource Type",
            format!("hub has no resource type {:?}.", req.type_name),
        ),
        Some(entry) => match convert::decode(req.config.as_ref(), &entry.ty, "resource configuration") {
            Ok(config) => {
                let write_only = convert::write_only_allowed(req.client_capabilities.as_ref());
                validate_block(
                    &entry.schema.block,
                    &config,
                    &AttributePath::root(),
                    write_only,
                    &mut diags,
                );
                entry.imp.validate(&config, &mut diags);
            }
            Err(d) => diags.extend(d),
        },
    }
    pb::validate_resource_config::Response {
        diagnostics: convert::diagnostics(diags),
    }
}

pub(super) fn data_source(
    registry: &Registry,
    req: &pb::validate_data_resource_config::Request,
) -> pb::validate_data_resource_config::Response {
    let mut diags = Diagnostics::new();
    match registry.data_sources.get(req.type_name.as_str()) {
        None => diags.error(
            "Unknown Data Source",
            format!("hub has no data source {:?}.", req.type_name),
        ),
        Some(entry) => match convert::decode(req.config.as_ref(), &entry.ty, "data source configuration") {
            Ok(config) => {
                validate_block(&entry.schema.block, &config, &AttributePath::root(), true, &mut diags);
                entry.imp.validate(&config, &mut diags);
            }
            Err(d) => diags.extend(d),
        },
    }
    pb::validate_data_resource_config::Response {
        diagnostics: convert::diagnostics(diags),
    }
}
