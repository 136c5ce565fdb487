//! [`Tf`]: a value that may also be null or not yet known, like the plugin framework's `types.String`.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::ser::{Serialize, Serializer};

use super::error::ModelError;

/// The newtype name the value deserializer recognises to hand `Tf` nulls and unknowns.
pub(super) const TF_NAME: &str = "$hub::Tf";
/// The newtype name the value serializer turns into an unknown value.
pub(super) const UNKNOWN_NAME: &str = "$hub::Unknown";

/// A value that is null, not yet known (during plan), or known.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Tf<T> {
    /// Not set.
    #[default]
    Null,
    /// Known only after apply; an unknown anywhere inside makes the whole `Tf` unknown.
    Unknown,
    /// Known.
    Known(T),
}

impl<T> Tf<T> {
    /// The value when known.
    pub fn get(&self) -> Option<&T> {
        match self {
            Tf::Known(v) => Some(v),
            _ => None,
        }
    }
    /// The value when known, mutably.
    pub fn get_mut(&mut self) -> Option<&mut T> {
        match self {
            Tf::Known(v) => Some(v),
            _ => None,
        }
    }
    /// The value when known, by value.
    pub fn known(self) -> Option<T> {
        match self {
            Tf::Known(v) => Some(v),
            _ => None,
        }
    }
    /// Whether the value is not yet known.
    pub fn is_unknown(&self) -> bool {
        matches!(self, Tf::Unknown)
    }
    /// Whether the value is null.
    pub fn is_null(&self) -> bool {
        matches!(self, Tf::Null)
    }
    /// Whether the value is set: known, or unknown (which will be known and may not be null).
    pub fn is_set(&self) -> bool {
        !self.is_null()
    }
    /// Borrows the inner value.
    pub fn as_ref(&self) -> Tf<&T> {
        match self {
            Tf::Null => Tf::Null,
            Tf::Unknown => Tf::Unknown,
            Tf::Known(v) => Tf::Known(v),
        }
    }
    /// Maps a known value.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Tf<U> {
        match self {
            Tf::Null => Tf::Null,
            Tf::Unknown => Tf::Unknown,
            Tf::Known(v) => Tf::Known(f(v)),
        }
    }
    /// A known value from an optional one (`None` is null).
    pub fn from_option(v: Option<T>) -> Self {
        v.map_or(Tf::Null, Tf::Known)
    }
}

impl<T: std::ops::Deref> Tf<T> {
    /// The dereferenced value when known (`&str` for a `Tf<String>`).
    pub fn as_deref(&self) -> Option<&T::Target> {
        self.get().map(|v| &**v)
    }
}

impl<T: Copy> Tf<T> {
    /// The value when known, copied.
    pub fn value(&self) -> Option<T> {
        self.get().copied()
    }
}

impl<T> From<T> for Tf<T> {
    fn from(v: T) -> Self {
        Tf::Known(v)
    }
}

impl<T: Serialize> Serialize for Tf<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Tf::Null => s.serialize_none(),
            Tf::Unknown => s.serialize_newtype_struct(UNKNOWN_NAME, &()),
            Tf::Known(v) => v.serialize(s),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Tf<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_newtype_struct(TF_NAME, TfVisitor(PhantomData))
    }
}

struct TfVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for TfVisitor<T> {
    type Value = Tf<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value, null, or an unknown value")
    }
    fn visit_none<E: de::Error>(self) -> Result<Tf<T>, E> {
        Ok(Tf::Null)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Tf<T>, E> {
        Ok(Tf::Unknown)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Tf<T>, D::Error> {
        match T::deserialize(d) {
            Ok(v) => Ok(Tf::Known(v)),
            Err(e) if ModelError::is_unknown_text(&e.to_string()) => Ok(Tf::Unknown),
            Err(e) => Err(e),
        }
    }
}
