//! The `## Schema` section of a page, as `tfplugindocs` lays it out: top-level attributes grouped as
//! Required / Optional / Read-Only, each with its type and markers (sensitive, write-only, deprecated, forces
//! replacement) and its description with the default; nested attributes and blocks get their own
//! `Nested Schema for` sub-sections, linked by anchor.

use std::fmt::Write as _;

use crate::schema::{Attribute, AttributeKind, Block, BlockNesting, NestedBlock, Nesting, Presence};
use crate::value::Value;

use super::types::{hcl_literal, type_name};

/// Where write-only arguments are explained (the link `tfplugindocs` uses).
const WRITE_ONLY_DOCS: &str =
    "https://developer.hashicorp.com/terraform/language/resources/ephemeral#write-only-arguments";

/// The list an entry appears in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    Required,
    Optional,
    ReadOnly,
}

impl Group {
    const ALL: [Group; 3] = [Group::Required, Group::Optional, Group::ReadOnly];
    fn title(self) -> &'static str {
        match self {
            Group::Required => "Required",
            Group::Optional => "Optional",
            Group::ReadOnly => "Read-Only",
        }
    }
}

/// What a nested sub-section documents.
enum Contents<'a> {
    Attributes(&'a [Attribute]),
    Block(&'a Block),
}

/// One line of a list, and the sub-section it links to.
struct Entry<'a> {
    name: &'a str,
    group: Group,
    /// `(String, Sensitive) Description.`: everything after the name.
    text: String,
    nested: Option<(&'static str, Contents<'a>)>,
}

/// Appends the `## Schema` section for `block` to `out`.
pub(super) fn render(block: &Block, out: &mut String) {
    out.push_str("## Schema\n\n");
    let entries = block_entries(block);
    render_lists(&entries, true, &[], out);
    render_nested(&entries, &[], out);
}

fn block_entries(block: &Block) -> Vec<Entry<'_>> {
    let mut entries: Vec<Entry<'_>> = block.attributes.iter().map(attribute_entry).collect();
    entries.extend(block.blocks.iter().map(block_entry));
    entries.sort_by(|a, b| a.name.cmp(b.name));
    entries
}

fn attributes_entries(attributes: &[Attribute]) -> Vec<Entry<'_>> {
    let mut entries: Vec<Entry<'_>> = attributes.iter().map(attribute_entry).collect();
    entries.sort_by(|a, b| a.name.cmp(b.name));
    entries
}

fn attribute_entry(a: &Attribute) -> Entry<'_> {
    let group = match a.presence {
        Presence::Required => Group::Required,
        Presence::Optional | Presence::OptionalComputed => Group::Optional,
        Presence::Computed => Group::ReadOnly,
    };
    let (label, nested) = match &a.kind {
        AttributeKind::Type(ty) => (type_name(ty), None),
        AttributeKind::Nested(nesting, attrs) => {
            let label = match nesting {
                Nesting::Single => "Attributes",
                Nesting::List => "Attributes List",
                Nesting::Set => "Attributes Set",
                Nesting::Map => "Attributes Map",
            };
            (
                label.to_string(),
                Some(("nestedatt", Contents::Attributes(attrs.as_slice()))),
            )
        }
    };
    let mut markers = vec![label];
    if a.sensitive {
        markers.push("Sensitive".into());
    }
    if a.write_only {
        markers.push(format!("[Write-only]({WRITE_ONLY_DOCS})"));
    }
    if a.deprecated.is_some() {
        markers.push("Deprecated".into());
    }
    if a.requires_replace {
        markers.push("Forces replacement".into());
    }
    let mut sentences = Vec::new();
    if let Some(message) = &a.deprecated {
        sentences.push(format!("**Deprecated** {}", message.trim()));
    }
    sentences.push(a.description.trim().to_string());
    if let Some(allowed) = allowed_values(a) {
        sentences.push(format!("One of {allowed}."));
    }
    if let Some(default) = &a.default {
        sentences.push(default_sentence(a, default));
    }
    Entry {
        name: &a.name,
        group,
        text: format!("({}) {}", markers.join(", "), join_sentences(&sentences)),
        nested,
    }
}

/// The values a `one_of` validator allows, as code spans.
fn allowed_values(a: &Attribute) -> Option<String> {
    let v = a
        .validators
        .iter()
        .find_map(|v| v.description.strip_prefix("one of "))?;
    Some(v.split(", ").map(|x| format!("`{x}`")).collect::<Vec<_>>().join(", "))
}

/// The default, or for an object that is just its attributes' own defaults, a pointer to them.
fn default_sentence(a: &Attribute, default: &Value) -> String {
    if let (AttributeKind::Nested(Nesting::Single, children), Value::Object(members)) = (&a.kind, default) {
        let own = |c: &Attribute| c.default.clone().unwrap_or(Value::Null);
        if children.iter().all(|c| members.get(&c.name) == Some(&own(c))) {
            return "Default: each attribute's default below.".into();
        }
    }
    format!("Default: `{}`.", hcl_literal(default))
}

fn block_entry(b: &NestedBlock) -> Entry<'_> {
    let label = match b.nesting {
        BlockNesting::Single | BlockNesting::Group => "Block",
        BlockNesting::List => "Block List",
        BlockNesting::Set => "Block Set",
        BlockNesting::Map => "Block Map",
    };
    let mut markers = vec![label.to_string()];
    if b.min_items > 0 {
        markers.push(format!("Min: {}", b.min_items));
    }
    if b.max_items > 0 {
        markers.push(format!("Max: {}", b.max_items));
    }
    if b.block.deprecated {
        markers.push("Deprecated".into());
    }
    Entry {
        name: &b.name,
        group: if b.min_items > 0 {
            Group::Required
        } else {
            Group::Optional
        },
        text: format!("({}) {}", markers.join(", "), b.block.description.trim()),
        nested: Some(("nestedblock", Contents::Block(&b.block))),
    }
}

fn join_sentences(parts: &[String]) -> String {
    parts
        .iter()
        .filter(|s| !s.is_empty())
        .cloned()
        .collect::<Vec<_>>()
        .join(" ")
}

fn anchor(kind: &str, path: &[&str]) -> String {
    format!("{kind}--{}", path.join("--"))
}

fn render_lists(entries: &[Entry<'_>], top: bool, path: &[&str], out: &mut String) {
    for group in Group::ALL {
        let members: Vec<&Entry<'_>> = entries.iter().filter(|e| e.group == group).collect();
        if members.is_empty() {
            continue;
        }
        if top {
            let _ = writeln!(out, "### {}\n", group.title());
        } else {
            let _ = writeln!(out, "{}:\n", group.title());
        }
        for e in members {
            let _ = write!(out, "- `{}` {}", e.name, e.text);
            if let Some((kind, _)) = &e.nested {
                let mut child = path.to_vec();
                child.push(e.name);
                let _ = write!(out, " (see [below for nested schema](#{}))", anchor(kind, &child));
            }
            out.push('\n');
        }
        out.push('\n');
    }
}

fn render_nested(entries: &[Entry<'_>], path: &[&str], out: &mut String) {
    for e in entries {
        let Some((kind, contents)) = &e.nested else { continue };
        let mut child = path.to_vec();
        child.push(e.name);
        let _ = writeln!(out, "<a id=\"{}\"></a>", anchor(kind, &child));
        let _ = writeln!(out, "### Nested Schema for `{}`\n", child.join("."));
        let inner = match contents {
            Contents::Attributes(attrs) => attributes_entries(attrs),
            Contents::Block(block) => block_entries(block),
        };
        render_lists(&inner, false, &child, out);
        render_nested(&inner, &child, out);
    }
}
