//! The identity schema of a resource type (Terraform 1.12+): the few attributes that name one remote object
//! for good, which Terraform stores beside the state and `import { identity = {...} }` takes instead of an id.

use std::collections::BTreeMap;

use crate::value::Type;

/// One identity attribute.
#[derive(Debug, Clone)]
pub struct IdentityAttribute {
    /// The name users write in `identity = { ... }`.
    pub name: String,
    /// Its type (never a map, set or object: the protocol forbids them).
    pub ty: Type,
    /// Whether an import by identity must give it; otherwise hub can supply it.
    pub required_for_import: bool,
    /// Markdown description for docs and `providers schema`.
    pub description: String,
}

impl IdentityAttribute {
    /// A string attribute that an import by identity must give.
    pub fn required_string(name: &str, description: &str) -> Self {
        IdentityAttribute {
            name: name.to_owned(),
            ty: Type::String,
            required_for_import: true,
            description: description.to_owned(),
        }
    }
}

/// A versioned identity schema; bump the version when the attributes change.
#[derive(Debug, Clone)]
pub struct IdentitySchema {
    /// Stored with each identity; independent of the resource schema's version.
    pub version: i64,
    /// The attributes, in the order the docs list them.
    pub attributes: Vec<IdentityAttribute>,
}

impl IdentitySchema {
    /// A version-0 identity schema.
    pub fn new(attributes: Vec<IdentityAttribute>) -> Self {
        IdentitySchema { version: 0, attributes }
    }

    /// The object type identity values have.
    pub fn implied_type(&self) -> Type {
        Type::Object(
            self.attributes
                .iter()
                .map(|a| (a.name.clone(), a.ty.clone()))
                .collect::<BTreeMap<_, _>>(),
        )
    }
}

/// The identity of a namespaced Kubernetes object that hub names `namespace/name` (`hub_app`,
/// `hub_network_policy`): the two attributes, as the identity model of those resources.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamespacedName {
    /// The namespace.
    pub namespace: String,
    /// The name in that namespace.
    pub name: String,
}

impl NamespacedName {
    /// The identity schema: both attributes required for import; `what` names the object in descriptions.
    pub fn schema(what: &str) -> IdentitySchema {
        IdentitySchema::new(vec![
            IdentityAttribute::required_string("namespace", &format!("The namespace of the {what}.")),
            IdentityAttribute::required_string("name", &format!("The name of the {what} in its namespace.")),
        ])
    }

    /// Both parts, when known.
    pub fn known(namespace: Option<&str>, name: Option<&str>) -> Option<Self> {
        Some(NamespacedName {
            namespace: namespace?.to_owned(),
            name: name?.to_owned(),
        })
    }

    /// The `namespace/name` import id.
    pub fn import_id(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }
}
