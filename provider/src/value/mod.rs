//! Terraform values exactly as cty models them (known, unknown with refinements, null, arbitrary-precision
//! numbers, collections, structural and dynamic values) and their msgpack and JSON wire forms.

pub mod json;
mod json_stream;
pub mod model;
pub mod msgpack;
mod number;
mod path;
mod types;

use std::collections::BTreeMap;

pub use model::Tf;
pub use number::Number;
pub use path::{AttributePath, PathStep};
pub(crate) use path::{StepRef, Trail};
pub use types::{Type, TypeError};

/// What is known about an unknown value (msgpack extension 12). Every field is optional.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Refinements {
    /// `Some(true)`: the value will definitely not be null.
    pub not_null: Option<bool>,
    /// A known prefix of a string value.
    pub string_prefix: Option<String>,
    /// Lower bound of a number: `(bound, inclusive)`.
    pub number_lower: Option<(Number, bool)>,
    /// Upper bound of a number: `(bound, inclusive)`.
    pub number_upper: Option<(Number, bool)>,
    /// Minimum length of a collection (inclusive).
    pub length_min: Option<u64>,
    /// Maximum length of a collection (inclusive).
    pub length_max: Option<u64>,
}

impl Refinements {
    /// Whether nothing at all is known.
    pub fn is_empty(&self) -> bool {
        *self == Refinements::default()
    }
}

/// A Terraform value. Its type is given by the schema it is decoded against, except for `Dynamic`, which
/// carries its concrete type.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Null of whatever type the position has.
    Null,
    /// A value that will be known only after apply.
    Unknown(Refinements),
    /// A bool.
    Bool(bool),
    /// A number.
    Number(Number),
    /// A string (NFC-normalised by Terraform).
    String(String),
    /// A list (also a list-nested block).
    List(Vec<Value>),
    /// A set: no duplicates, order meaningless.
    Set(Vec<Value>),
    /// A map with string keys.
    Map(BTreeMap<String, Value>),
    /// An object: every attribute of its type is present.
    Object(BTreeMap<String, Value>),
    /// A tuple.
    Tuple(Vec<Value>),
    /// A value at a `dynamic` position, with its concrete type.
    Dynamic(Type, Box<Value>),
}

impl Value {
    /// A plain unknown value (no refinements).
    pub fn unknown() -> Value {
        Value::Unknown(Refinements::default())
    }
    /// A string value.
    pub fn string(s: impl Into<String>) -> Value {
        Value::String(s.into())
    }
    /// An object from `(name, value)` pairs.
    pub fn object<I: IntoIterator<Item = (S, Value)>, S: Into<String>>(attrs: I) -> Value {
        Value::Object(attrs.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    /// Whether this is null (a dynamic wrapper around null counts as null).
    pub fn is_null(&self) -> bool {
        match self {
            Value::Null => true,
            Value::Dynamic(_, v) => v.is_null(),
            _ => false,
        }
    }
    /// Whether this value itself is unknown (not looking inside collections).
    pub fn is_unknown(&self) -> bool {
        match self {
            Value::Unknown(_) => true,
            Value::Dynamic(_, v) => v.is_unknown(),
            _ => false,
        }
    }
    /// Whether this value and everything inside it is known.
    pub fn is_wholly_known(&self) -> bool {
        match self {
            Value::Unknown(_) => false,
            Value::List(v) | Value::Set(v) | Value::Tuple(v) => v.iter().all(Value::is_wholly_known),
            Value::Map(m) | Value::Object(m) => m.values().all(Value::is_wholly_known),
            Value::Dynamic(_, v) => v.is_wholly_known(),
            _ => true,
        }
    }

    /// An attribute of an object (None for null, unknown or non-objects).
    pub fn attr(&self, name: &str) -> Option<&Value> {
        match self {
            Value::Object(m) => m.get(name),
            Value::Dynamic(_, v) => v.attr(name),
            _ => None,
        }
    }
    /// A mutable attribute of an object.
    pub fn attr_mut(&mut self, name: &str) -> Option<&mut Value> {
        match self {
            Value::Object(m) => m.get_mut(name),
            _ => None,
        }
    }
    /// The value at `path`, if every step exists.
    pub fn at(&self, path: &AttributePath) -> Option<&Value> {
        path.0.iter().try_fold(self, |v, step| match (step, v) {
            (PathStep::Attr(a), Value::Object(m)) => m.get(a),
            (PathStep::Key(k), Value::Map(m)) => m.get(k),
            (PathStep::Index(i), Value::List(l) | Value::Tuple(l)) => usize::try_from(*i).ok().and_then(|i| l.get(i)),
            (_, Value::Dynamic(_, inner)) => inner.at(&AttributePath(vec![step.clone()])),
            _ => None,
        })
    }

    /// The string, if this is a known string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
    /// The bool, if this is a known bool.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }
    /// The number, if this is a known number.
    pub fn as_number(&self) -> Option<&Number> {
        match self {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }
    /// The map or object entries, if this is a known map or object.
    pub fn as_map(&self) -> Option<&BTreeMap<String, Value>> {
        match self {
            Value::Map(m) | Value::Object(m) => Some(m),
            _ => None,
        }
    }
    /// The elements, if this is a known list, set or tuple.
    pub fn as_elements(&self) -> Option<&[Value]> {
        match self {
            Value::List(v) | Value::Set(v) | Value::Tuple(v) => Some(v),
            _ => None,
        }
    }

    /// Calls `f` on every value in this tree with its path, depth first, parents before children.
    pub fn walk(&self, path: &AttributePath, f: &mut dyn FnMut(&AttributePath, &Value)) {
        f(path, self);
        match self {
            Value::List(v) | Value::Tuple(v) => {
                for (i, e) in v.iter().enumerate() {
                    e.walk(&path.then_index(i), f);
                }
            }
            // Set elements cannot be addressed: they are visited with the set's own path.
            Value::Set(v) => v.iter().for_each(|e| e.walk(path, f)),
            Value::Map(m) => m.iter().for_each(|(k, e)| e.walk(&path.then_key(k), f)),
            Value::Object(m) => m.iter().for_each(|(k, e)| e.walk(&path.then_attr(k), f)),
            Value::Dynamic(_, v) => v.walk(path, f),
            _ => {}
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_owned())
    }
}
impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}
impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}
impl From<i64> for Value {
    fn from(n: i64) -> Self {
        Value::Number(Number::from(n))
    }
}

/// Why bytes could not be decoded as a value of a type.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct DecodeError {
    /// Where in the value decoding failed (root when empty).
    pub path: AttributePath,
    /// What was wrong.
    pub message: String,
}

impl DecodeError {
    /// An error at `path`.
    pub fn new(path: &AttributePath, message: impl Into<String>) -> Self {
        DecodeError {
            path: path.clone(),
            message: message.into(),
        }
    }
}

/// Why a value could not be encoded as a type (a provider bug: the value does not conform).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct EncodeError {
    /// Where in the value encoding failed.
    pub path: AttributePath,
    /// What was wrong.
    pub message: String,
}

impl EncodeError {
    /// An error at `path`.
    pub fn new(path: &AttributePath, message: impl Into<String>) -> Self {
        EncodeError {
            path: path.clone(),
            message: message.into(),
        }
    }
}
