//! Typed models: Rust structs decoded from and encoded to [`Value`]s with serde, so resources read
//! `app.image` instead of looking up `"image"` by string. A field's serde name is its attribute name;
//! `#[serde(deny_unknown_fields)]` on every model makes a schema attribute the struct lacks a decode error,
//! which the registry's drift check turns into a failing test.
//!
//! Unknown values ("known after apply") decode only into [`Tf`]: an unknown anywhere inside a field makes
//! the nearest enclosing `Tf` unknown, so each model chooses how finely it tracks plan-time unknowns.

mod conform;
mod de;
mod error;
mod partial;
mod ser;
mod tf;

pub use error::ModelError;
pub use partial::restore_partly_known;
pub use tf::Tf;

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{AttributePath, DecodeError, EncodeError, Type, Value};

/// Decodes a value into a model; errors name the attribute path.
pub fn from_value<T: DeserializeOwned>(value: &Value) -> Result<T, DecodeError> {
    T::deserialize(de::ValueDeserializer::new(value)).map_err(ModelError::into_decode)
}

/// Whether a model holds no unknown value anywhere: what [`Value::is_wholly_known`] says of the value it was
/// decoded from, since an unknown only ever widens to the enclosing [`Tf`].
pub fn is_wholly_known<T: Serialize>(model: &T) -> bool {
    model.serialize(ser::ValueSerializer).is_ok_and(|v| v.is_wholly_known())
}

/// Encodes a model as a value of type `ty`: lists become sets, structs objects (attributes the struct
/// lacks are null) and maps maps, as the type says.
pub fn to_value<T: Serialize>(model: &T, ty: &Type) -> Result<Value, EncodeError> {
    let raw = model.serialize(ser::ValueSerializer).map_err(ModelError::into_encode)?;
    conform::conform(raw, ty, &AttributePath::root())
}

#[cfg(test)]
mod tests;
