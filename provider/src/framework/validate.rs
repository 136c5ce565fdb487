//! Validation driven by the schema: every validator of every known attribute, recursively, plus the
//! write-only capability check. Unknown values are skipped: core validates again once they are known.

use crate::diag::Diagnostics;
use crate::schema::{Attribute, AttributeKind, Block, BlockNesting, validators};
use crate::value::{AttributePath, Value};

/// Validates a whole block's configuration.
pub fn validate_block(
    block: &Block,
    config: &Value,
    path: &AttributePath,
    write_only_allowed: bool,
    diags: &mut Diagnostics,
) {
    validate_attributes(&block.attributes, config, path, write_only_allowed, diags);
    for nested in &block.blocks {
        let Some(value) = config.attr(&nested.name) else {
            continue;
        };
        let here = path.then_attr(&nested.name);
        match (nested.nesting, value) {
            (BlockNesting::Single | BlockNesting::Group, v) if !v.is_null() => {
                validate_block(&nested.block, v, &here, write_only_allowed, diags)
            }
            (BlockNesting::List, Value::List(items)) => {
                for (i, item) in items.iter().enumerate() {
                    validate_block(&nested.block, item, &here.then_index(i), write_only_allowed, diags);
                }
            }
            (BlockNesting::Map, Value::Map(items)) => {
                for (k, item) in items {
                    validate_block(&nested.block, item, &here.then_key(k), write_only_allowed, diags);
                }
            }
            (BlockNesting::Set, Value::Set(items)) => {
                for item in items {
                    validate_block(&nested.block, item, &here, write_only_allowed, diags);
                }
            }
            _ => {}
        }
    }
}

fn validate_attributes(
    attrs: &[Attribute],
    config: &Value,
    path: &AttributePath,
    write_only_allowed: bool,
    diags: &mut Diagnostics,
) {
    for attr in attrs {
        let value = config.attr(&attr.name).unwrap_or(&Value::Null);
        let here = path.then_attr(&attr.name);
        if attr.write_only && !write_only_allowed && !value.is_null() {
            diags.error_at(
                &here,
                "Write-only Attribute Not Allowed",
                format!(
                    "{here} is write-only, which needs Terraform 1.11 or later (or OpenTofu 1.11 or later). \
                     Upgrade, or use the attribute's stored alternative."
                ),
            );
        }
        for validator in &attr.validators {
            validators::run(validator, value, &here, diags);
        }
        if let AttributeKind::Nested(_, children) = &attr.kind {
            match value {
                Value::Object(_) => validate_attributes(children, value, &here, write_only_allowed, diags),
                Value::List(items) => {
                    for (i, item) in items.iter().enumerate() {
                        validate_attributes(children, item, &here.then_index(i), write_only_allowed, diags);
                    }
                }
                Value::Map(items) => {
                    for (k, item) in items {
                        validate_attributes(children, item, &here.then_key(k), write_only_allowed, diags);
                    }
                }
                Value::Set(items) => {
                    for item in items {
                        validate_attributes(children, item, &here, write_only_allowed, diags);
                    }
                }
                _ => {}
            }
        }
    }
}
