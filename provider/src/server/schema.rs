//! GetProviderSchema and GetMetadata: the registry's schemas and type lists, with server capabilities.

use crate::framework::Registry;
use crate::proto::tfplugin6 as pb;

use super::{convert, function};

fn capabilities() -> pb::ServerCapabilities {
    pb::ServerCapabilities {
        plan_destroy: true,
        get_provider_schema_optional: true,
        move_resource_state: true,
        generate_resource_config: false,
    }
}

/// Every schema the provider has; deterministic and independent of configuration.
pub(super) fn get_provider_schema(registry: &Registry) -> pb::get_provider_schema::Response {
    pb::get_provider_schema::Response {
        provider: registry.provider.as_ref().map(|p| convert::schema(&p.schema)),
        resource_schemas: registry
            .resources
            .iter()
            .map(|(n, e)| (n.to_string(), convert::schema(&e.schema)))
            .collect(),
        data_source_schemas: registry
            .data_sources
            .iter()
            .map(|(n, e)| (n.to_string(), convert::schema(&e.schema)))
            .collect(),
        ephemeral_resource_schemas: registry
            .ephemeral_resources
            .iter()
            .map(|(n, e)| (n.to_string(), convert::schema(&e.schema)))
            .collect(),
        functions: function::definitions(registry),
        server_capabilities: Some(capabilities()),
        ..Default::default()
    }
}

/// The type names only (used by terraform-plugin-mux-style callers).
pub(super) fn get_metadata(registry: &Registry) -> pb::get_metadata::Response {
    pb::get_metadata::Response {
        server_capabilities: Some(capabilities()),
        resources: registry
            .resources
            .keys()
            .map(|n| pb::get_metadata::ResourceMetadata {
                type_name: n.to_string(),
            })
            .collect(),
        data_sources: registry
            .data_sources
            .keys()
            .map(|n| pb::get_metadata::DataSourceMetadata {
                type_name: n.to_string(),
            })
            .collect(),
        ephemeral_resources: registry
            .ephemeral_resources
            .keys()
            .map(|n| pb::get_metadata::EphemeralMetadata {
                type_name: n.to_string(),
            })
            .collect(),
        functions: registry
            .functions
            .keys()
            .map(|n| pb::get_metadata::FunctionMetadata { name: n.to_string() })
            .collect(),
        ..Default::default()
    }
}
