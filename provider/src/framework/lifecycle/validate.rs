//! Validation: every schema validator, then the type's own cross-attribute checks. Unknown values are
//! skipped; core validates again once they are known.

use crate::diag::Diagnostics;
use crate::framework::registry::{DataSourceEntry, ProviderEntry, ResourceEntry};
use crate::framework::validate::validate_block;
use crate::value::{AttributePath, Value};

/// The provider block's configuration.
pub fn validate_provider(entry: &ProviderEntry, config: &Value) -> Diagnostics {
    let mut diags = Diagnostics::new();
    validate_block(&entry.schema.block, config, &AttributePath::root(), true, &mut diags);
    entry.imp.validate(config, &mut diags);
    diags
}

/// A resource's configuration; write-only attributes are refused when the CLI cannot send them.
pub fn validate_resource(entry: &ResourceEntry, config: &Value, write_only_allowed: bool) -> Diagnostics {
    let mut diags = Diagnostics::new();
    validate_block(
        &entry.schema.block,
        config,
        &AttributePath::root(),
        write_only_allowed,
        &mut diags,
    );
    entry.imp.validate(config, &mut diags);
    diags
}

/// A data source's configuration.
pub fn validate_data_source(entry: &DataSourceEntry, config: &Value) -> Diagnostics {
    let mut diags = Diagnostics::new();
    validate_block(&entry.schema.block, config, &AttributePath::root(), true, &mut diags);
    entry.imp.validate(config, &mut diags);
    diags
}

/// An ephemeral resource's configuration. Core does not refuse a value for a computed-only attribute of an
/// ephemeral resource (it does for resources and data sources), so it is refused here.
pub fn validate_ephemeral_resource(entry: &DataSourceEntry, config: &Value) -> Diagnostics {
    let mut diags = validate_data_source(entry, config);
    for a in &entry.schema.block.attributes {
        let set = config.attr(&a.name).is_some_and(|v| !v.is_null());
        if set && a.presence == crate::schema::Presence::Computed {
            diags.error_at(
                &AttributePath::attr(&a.name),
                "Read-Only Attribute Set",
                format!(
                    "{} is set by hub when the ephemeral resource opens; remove it from the configuration.",
                    a.name
                ),
            );
        }
    }
    diags
}
