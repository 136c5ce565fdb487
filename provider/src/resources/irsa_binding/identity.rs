//! The identity of a `hub_irsa_binding`: the IAM role's name, which is also its import id (role names are
//! unique in an AWS account, and the account comes from the provider's credentials).

use serde::{Deserialize, Serialize};

use crate::schema::{IdentityAttribute, IdentitySchema};

/// A binding's identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct IrsaBindingIdentity {
    /// The IAM role name.
    pub(crate) role_name: String,
}

/// The identity schema.
pub(super) fn schema() -> IdentitySchema {
    IdentitySchema::new(vec![IdentityAttribute::required_string(
        "role_name",
        "The name of the IAM role the binding manages.",
    )])
}
