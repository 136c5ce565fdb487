//! The identity of a `hub_namespace`: its name, which is also its import id.

use serde::{Deserialize, Serialize};

use crate::schema::{IdentityAttribute, IdentitySchema};

/// A namespace's identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamespaceIdentity {
    /// The namespace name.
    pub name: String,
}

/// The identity schema.
pub(super) fn schema() -> IdentitySchema {
    IdentitySchema::new(vec![IdentityAttribute::required_string("name", "The namespace name.")])
}
