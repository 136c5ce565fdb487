//! The schema model: what users may write in a resource, data source or provider block, with the behaviour
//! the framework derives from it (validation, defaults, plan modifiers, sensitivity, documentation).

mod attribute;
mod block;
pub mod duration;
mod identity;
pub mod validators;

pub use attribute::{Attribute, AttributeKind, Nesting, Presence, Validator};
pub use block::{Block, BlockNesting, NestedBlock};
pub use identity::{IdentityAttribute, IdentitySchema, NamespacedName};

/// A versioned schema for one resource type, data source or the provider block.
#[derive(Debug, Clone)]
pub struct Schema {
    /// Stored with each resource's state; bump it when old state needs upgrading.
    pub version: i64,
    /// The top-level block.
    pub block: Block,
}

impl Schema {
    /// A version-0 schema around a block.
    pub fn new(block: Block) -> Self {
        Schema { version: 0, block }
    }
    /// The same schema at another version.
    #[must_use]
    pub fn version(mut self, version: i64) -> Self {
        self.version = version;
        self
    }
    /// The cty type of a whole object conforming to this schema.
    pub fn implied_type(&self) -> crate::value::Type {
        self.block.implied_type()
    }
}
