//! [`Model`]: what a resource's typed model must be, so the framework can decode every request value into it
//! once and encode the result back against the schema's type.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::value::model::{from_value, to_value};
use crate::value::{DecodeError, EncodeError, Type, Value};

/// A resource's configuration, plan and state as one Rust type. Implemented for every serde type; derive
/// `Serialize` and `Deserialize` with `#[serde(deny_unknown_fields)]`, name fields after their attributes,
/// and use [`crate::value::Tf`] for values that may be unknown during plan.
pub trait Model: Sized + Send + Sync + 'static {
    /// Decodes a value of the schema's type.
    fn decode(value: &Value) -> Result<Self, DecodeError>;
    /// Encodes the model as a value of type `ty`.
    fn encode(&self, ty: &Type) -> Result<Value, EncodeError>;
}

impl<T: Serialize + DeserializeOwned + Send + Sync + 'static> Model for T {
    fn decode(value: &Value) -> Result<Self, DecodeError> {
        from_value(value)
    }
    fn encode(&self, ty: &Type) -> Result<Value, EncodeError> {
        to_value(self, ty)
    }
}
