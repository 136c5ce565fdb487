//! Translation between wire messages and framework values: schemas, diagnostics, attribute paths and
//! dynamic values. The only place that knows both worlds.

use crate::diag::{Diagnostic, Diagnostics, Severity};
use crate::proto::tfplugin6 as pb;
use crate::schema::{Attribute, AttributeKind, Block, BlockNesting, Nesting, Presence, Schema};
use crate::value::{AttributePath, PathStep, Type, Value, json, msgpack};

/// A schema on the wire.
pub(super) fn schema(s: &Schema) -> pb::Schema {
    pb::Schema {
        version: s.version,
        block: Some(block(&s.block)),
    }
}

fn block(b: &Block) -> pb::schema::Block {
    pb::schema::Block {
        version: 0,
        attributes: b.attributes.iter().map(attribute).collect(),
        block_types: b
            .blocks
            .iter()
            .map(|nb| pb::schema::NestedBlock {
                type_name: nb.name.clone(),
                block: Some(block(&nb.block)),
                nesting: block_nesting(nb.nesting) as i32,
                min_items: nb.min_items,
                max_items: nb.max_items,
            })
            .collect(),
        description: b.description.clone(),
        description_kind: pb::StringKind::Markdown as i32,
        deprecated: b.deprecated,
        deprecation_message: String::new(),
    }
}

fn attribute(a: &Attribute) -> pb::schema::Attribute {
    let (ty, nested_type) = match &a.kind {
        AttributeKind::Type(t) => (t.to_json_bytes(), None),
        AttributeKind::Nested(nesting, children) => (
            Vec::new(),
            Some(pb::schema::Object {
                attributes: children.iter().map(attribute).collect(),
                nesting: object_nesting(*nesting) as i32,
                ..Default::default()
            }),
        ),
    };
    pb::schema::Attribute {
        name: a.name.clone(),
        r#type: ty,
        nested_type,
        description: a.description.clone(),
        required: a.presence == Presence::Required,
        optional: matches!(a.presence, Presence::Optional | Presence::OptionalComputed),
        computed: a.is_computed(),
        sensitive: a.sensitive,
        description_kind: pb::StringKind::Markdown as i32,
        deprecated: a.deprecated.is_some(),
        write_only: a.write_only,
        deprecation_message: a.deprecated.clone().unwrap_or_default(),
    }
}

fn block_nesting(n: BlockNesting) -> pb::schema::nested_block::NestingMode {
    use pb::schema::nested_block::NestingMode as M;
    match n {
        BlockNesting::Single => M::Single,
        BlockNesting::Group => M::Group,
        BlockNesting::List => M::List,
        BlockNesting::Set => M::Set,
        BlockNesting::Map => M::Map,
    }
}

fn object_nesting(n: Nesting) -> pb::schema::object::NestingMode {
    use pb::schema::object::NestingMode as M;
    match n {
        Nesting::Single => M::Single,
        Nesting::List => M::List,
        Nesting::Set => M::Set,
        Nesting::Map => M::Map,
    }
}

/// Diagnostics on the wire. Paths stop before the first set element, which cannot be addressed.
pub(super) fn diagnostics(diags: Diagnostics) -> Vec<pb::Diagnostic> {
    diags.0.into_iter().map(diagnostic).collect()
}

fn diagnostic(d: Diagnostic) -> pb::Diagnostic {
    let severity = match d.severity {
        Severity::Error => pb::diagnostic::Severity::Error,
        Severity::Warning => pb::diagnostic::Severity::Warning,
    };
    pb::Diagnostic {
        severity: severity as i32,
        summary: d.summary,
        detail: d.detail,
        attribute: d.path.filter(|p| !p.is_root()).map(|p| path(&top_level(&p))),
    }
}

/// The first step of a diagnostic's path. Terraform before 1.15 and OpenTofu cannot point into nested
/// attributes and fall back to the whole block; the top-level attribute gives them the right line, and the
/// detail text names the full path.
fn top_level(p: &AttributePath) -> AttributePath {
    AttributePath(p.0.iter().take(1).cloned().collect())
}

/// An attribute path on the wire.
pub(super) fn path(p: &AttributePath) -> pb::AttributePath {
    use pb::attribute_path::{Step, step::Selector};
    pb::AttributePath {
        steps: p
            .0
            .iter()
            .map(|s| Step {
                selector: Some(match s {
                    PathStep::Attr(a) => Selector::AttributeName(a.clone()),
                    PathStep::Key(k) => Selector::ElementKeyString(k.clone()),
                    PathStep::Index(i) => Selector::ElementKeyInt(*i),
                }),
            })
            .collect(),
    }
}

/// Decodes a DynamicValue against a type: msgpack if present, else JSON; absent or empty means null.
pub(super) fn decode(dv: Option<&pb::DynamicValue>, ty: &Type, what: &str) -> Result<Value, Diagnostics> {
    let result = match dv {
        Some(dv) if !dv.msgpack.is_empty() => msgpack::decode(&dv.msgpack, ty),
        Some(dv) if !dv.json.is_empty() => json::decode(&dv.json, ty),
        _ => Ok(Value::Null),
    };
    result.map_err(|e| {
        let mut d = Diagnostics::new();
        d.bug(
            "Invalid Request Value",
            format!("Terraform sent a {what} hub could not decode: {e}"),
        );
        d
    })
}

/// Encodes a value as msgpack (the only form that can carry unknowns). Null becomes msgpack nil.
pub(super) fn encode(value: &Value, ty: &Type, what: &str) -> Result<pb::DynamicValue, Diagnostics> {
    msgpack::encode(value, ty)
        .map(|bytes| pb::DynamicValue {
            msgpack: bytes,
            json: Vec::new(),
        })
        .map_err(|e| {
            let mut d = Diagnostics::new();
            d.bug(
                "Invalid Response Value",
                format!("hub produced a {what} that does not match its schema: {e}"),
            );
            d
        })
}

/// Write-only capability from the client (absent capabilities mean an older CLI: not allowed).
pub(super) fn write_only_allowed(caps: Option<&pb::ClientCapabilities>) -> bool {
    caps.is_some_and(|c| c.write_only_attributes_allowed)
}
