//! Blocks: a set of attributes plus nested block types (the HCL `name { … }` syntax).

use crate::value::Type;

use super::Attribute;

/// How a nested block repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockNesting {
    /// At most one; null when absent.
    Single,
    /// Exactly one object, never null; absent means all attributes null.
    Group,
    /// A list of blocks.
    List,
    /// A set of blocks.
    Set,
    /// Labelled blocks.
    Map,
}

/// A block type nested in another block.
#[derive(Debug, Clone)]
pub struct NestedBlock {
    /// The block type name.
    pub name: String,
    /// How it repeats.
    pub nesting: BlockNesting,
    /// Its contents.
    pub block: Block,
    /// Minimum count (list and set only).
    pub min_items: i64,
    /// Maximum count (list and set only; 0 = unlimited).
    pub max_items: i64,
}

/// A block: attributes and nested block types.
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct Block {
    /// Markdown description.
    pub description: String,
    /// The attributes, in documentation order.
    pub attributes: Vec<Attribute>,
    /// Nested block types.
    pub blocks: Vec<NestedBlock>,
    /// Whether the whole block is deprecated.
    pub deprecated: bool,
}

impl Block {
    /// A block with these attributes.
    pub fn new(description: impl Into<String>, attributes: Vec<Attribute>) -> Self {
        Block {
            description: description.into(),
            attributes,
            blocks: Vec::new(),
            deprecated: false,
        }
    }
    /// Adds a nested block type.
    pub fn with_block(mut self, name: impl Into<String>, nesting: BlockNesting, block: Block) -> Self {
        self.blocks.push(NestedBlock {
            name: name.into(),
            nesting,
            block,
            min_items: 0,
            max_items: 0,
        });
        self
    }
    /// The attribute called `name`, if any.
    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.name == name)
    }
    /// The cty object type of values of this block.
    pub fn implied_type(&self) -> Type {
        let attrs = self.attributes.iter().map(|a| (a.name.clone(), a.value_type()));
        let blocks = self.blocks.iter().map(|b| {
            let obj = b.block.implied_type();
            let ty = match b.nesting {
                BlockNesting::Single | BlockNesting::Group => obj,
                BlockNesting::List => Type::list(obj),
                BlockNesting::Set => Type::set(obj),
                BlockNesting::Map => Type::map(obj),
            };
            (b.name.clone(), ty)
        });
        Type::Object(attrs.chain(blocks).collect())
    }
}
