//! Resource identity (Terraform 1.12+): the identity of every state the provider returns, import by
//! identity, and stored identities from older identity schemas. Identities come from state through the
//! resource's typed [`crate::framework::Resource::identity`], so they cannot disagree with it.

use crate::diag::Diagnostics;
use crate::framework::registry::ResourceEntry;
use crate::schema::IdentitySchema;
use crate::value::{AttributePath, Type, Value, json};

/// A resource type's identity schema with its value type.
pub struct Identity {
    /// The schema.
    pub schema: IdentitySchema,
    /// The object type of its values.
    pub ty: Type,
}

/// The identity schema of a resource type.
pub fn identity_schema(entry: &ResourceEntry) -> Identity {
    let schema = entry.imp.identity_schema();
    let ty = schema.implied_type();
    Identity { schema, ty }
}

/// The identity of the object a state value describes: null for a null state, and while an identifying
/// attribute is still unknown (a create plan), which core accepts.
pub fn identity_of(entry: &ResourceEntry, state: &Value) -> Result<Value, Diagnostics> {
    let Identity { ty, .. } = identity_schema(entry);
    entry.imp.identity(&ty, state)
}

/// The import id an `import { identity = {...} }` names. Core already refuses a missing required attribute
/// or a value of the wrong type; an older or other client may not, so each is said here too, by name.
pub fn import_id(entry: &ResourceEntry, identity: &Value) -> Result<String, Diagnostics> {
    let type_name = entry.imp.type_name();
    let Identity { schema, .. } = identity_schema(entry);
    let mut diags = Diagnostics::new();
    if identity.is_null() {
        diags.error(
            "Missing Import Identity",
            format!("Importing {type_name} by identity needs an identity; none was given."),
        );
        return Err(diags);
    }
    for a in &schema.attributes {
        let path = AttributePath::attr(&a.name);
        match identity.attr(&a.name) {
            Some(Value::Unknown(_)) => diags.error_at(
                &path,
                "Unknown Import Identity Attribute",
                format!(
                    "The identity attribute `{}` of {type_name} is not known until apply; import needs it now.",
                    a.name
                ),
            ),
            Some(Value::String(s)) if s.is_empty() && a.required_for_import => diags.error_at(
                &path,
                "Empty Import Identity Attribute",
                format!(
                    "The identity attribute `{}` of {type_name} is empty; give {}",
                    a.name,
                    a.description.to_lowercase()
                ),
            ),
            None | Some(Value::Null) if a.required_for_import => diags.error_at(
                &path,
                "Missing Import Identity Attribute",
                format!(
                    "Importing {type_name} by identity needs the identity attribute `{}`: {}",
                    a.name, a.description
                ),
            ),
            _ => {}
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }
    entry.imp.import_id(identity)
}

/// Renames an import id's diagnostics for an import by identity: the user wrote attributes, not an id.
pub fn for_identity(entry: &ResourceEntry, diags: Diagnostics, id: &str) -> Diagnostics {
    let names: Vec<String> = identity_schema(entry)
        .schema
        .attributes
        .iter()
        .map(|a| format!("`{}`", a.name))
        .collect();
    let mut out = Diagnostics::new();
    for mut d in diags.0 {
        if d.summary == "Invalid Import ID" {
            d.summary = "Invalid Import Identity".into();
            d.detail = format!(
                "The identity ({}) names the object {id:?}, as the import ID would. {}",
                names.join(", "),
                d.detail
            );
        }
        out.0.push(d);
    }
    out
}

/// A stored identity written under identity schema `version` (JSON), as a value of the current schema.
pub fn upgrade_identity(entry: &ResourceEntry, version: i64, raw: &[u8]) -> Result<Value, Diagnostics> {
    let Identity { schema, ty } = identity_schema(entry);
    let type_name = entry.imp.type_name();
    if version > schema.version {
        return Err(Diagnostics::from_error(
            "Identity From A Newer Provider",
            format!(
                "The stored identity of {type_name} was written by a hub provider with identity version {version}, \
                 newer than this one ({}). Upgrade the provider.",
                schema.version
            ),
        ));
    }
    if raw.is_empty() {
        return Ok(Value::Null);
    }
    json::decode_ignoring_undefined(raw, &ty).map_err(|e| {
        Diagnostics::from_error(
            "Unreadable Identity",
            format!("The stored identity of {type_name} cannot be read: {e}"),
        )
    })
}
