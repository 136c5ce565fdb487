//! A serde `Deserializer` over a borrowed [`Value`]. The path is a chain of borrowed steps, turned into an
//! [`AttributePath`] only when an error needs it, so decoding a large state allocates no paths.

use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};

use super::error::ModelError;
use super::tf::TF_NAME;
use crate::value::{AttributePath, PathStep, Value};

/// Where a value sits, as a chain of steps back to the root.
#[derive(Clone, Copy)]
pub(super) enum Crumb<'a> {
    Root,
    Attr(&'a Crumb<'a>, &'a str),
    Key(&'a Crumb<'a>, &'a str),
    Index(&'a Crumb<'a>, usize),
}

impl Crumb<'_> {
    fn path(&self) -> AttributePath {
        let mut steps = Vec::new();
        let mut here = self;
        loop {
            match here {
                Crumb::Root => break,
                Crumb::Attr(up, name) => {
                    steps.push(PathStep::Attr((*name).to_owned()));
                    here = up;
                }
                Crumb::Key(up, key) => {
                    steps.push(PathStep::Key((*key).to_owned()));
                    here = up;
                }
                Crumb::Index(up, i) => {
                    steps.push(PathStep::Index(*i as i64));
                    here = up;
                }
            }
        }
        steps.reverse();
        AttributePath(steps)
    }
}

/// Deserializes one value at one place.
pub(super) struct ValueDeserializer<'v, 'p> {
    value: &'v Value,
    at: Crumb<'p>,
}

impl<'v> ValueDeserializer<'v, 'static> {
    pub(super) fn new(value: &'v Value) -> Self {
        ValueDeserializer { value, at: Crumb::Root }
    }
}

impl<'v, 'p> ValueDeserializer<'v, 'p> {
    fn err(&self, e: ModelError) -> ModelError {
        e.at(&self.at.path())
    }
    fn unwrapped(&self) -> &'v Value {
        let mut v = self.value;
        while let Value::Dynamic(_, inner) = v {
            v = inner;
        }
        v
    }
    fn unexpected(&self, expected: &str) -> ModelError {
        let found = match self.unwrapped() {
            Value::Null => "null",
            Value::Unknown(_) => return ModelError::unknown(&self.at.path()),
            Value::Bool(_) => "a bool",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::List(_) | Value::Set(_) | Value::Tuple(_) => "a collection",
            Value::Map(_) | Value::Object(_) => "an object or map",
            Value::Dynamic(..) => "a dynamic value",
        };
        ModelError::new(&self.at.path(), format!("expected {expected}, found {found}"))
    }
}

impl<'de, 'v: 'de, 'p> de::Deserializer<'de> for ValueDeserializer<'v, 'p> {
    type Error = ModelError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ModelError> {
        let result = match self.unwrapped() {
            Value::Null => visitor.visit_none(),
            Value::Unknown(_) => return Err(ModelError::unknown(&self.at.path())),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => {
                if let Some(i) = n.to_i64() {
                    visitor.visit_i64(i)
                } else if let Some(u) = n.to_u64() {
                    visitor.visit_u64(u)
                } else {
                    visitor.visit_f64(n.to_f64())
                }
            }
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::List(items) | Value::Set(items) | Value::Tuple(items) => visitor.visit_seq(Seq {
                items: items.iter().enumerate(),
                at: &self.at,
            }),
            Value::Map(entries) => visitor.visit_map(Entries {
                entries: entries.iter(),
                pending: None,
                at: &self.at,
                object: false,
            }),
            Value::Object(entries) => visitor.visit_map(Entries {
                entries: entries.iter(),
                pending: None,
                at: &self.at,
                object: true,
            }),
            Value::Dynamic(..) => unreachable!("unwrapped above"),
        };
        result.map_err(|e| self.err(e))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ModelError> {
        match self.unwrapped() {
            Value::Null => visitor.visit_none(),
            Value::Unknown(_) => Err(ModelError::unknown(&self.at.path())),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ModelError> {
        if name == TF_NAME {
            return match self.unwrapped() {
                Value::Null => visitor.visit_none(),
                Value::Unknown(_) => visitor.visit_unit(),
                _ => visitor.visit_some(self),
            };
        }
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ModelError> {
        match self.unwrapped() {
            Value::String(s) => visitor
                .visit_enum(s.as_str().into_deserializer())
                .map_err(|e: ModelError| self.err(e)),
            _ => Err(self.unexpected("a string")),
        }
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ModelError> {
        match self.unwrapped() {
            Value::Number(n) => match n.to_i64() {
                Some(i) => visitor.visit_i64(i).map_err(|e| self.err(e)),
                None => Err(self.err(de::Error::custom(format!("{n} is not a whole number in range")))),
            },
            _ => Err(self.unexpected("a number")),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple
        tuple_struct map struct identifier ignored_any
    }
}

struct Seq<'v, 'p, I: Iterator<Item = (usize, &'v Value)>> {
    items: I,
    at: &'p Crumb<'p>,
}

impl<'de, 'v: 'de, 'p, I: Iterator<Item = (usize, &'v Value)>> SeqAccess<'de> for Seq<'v, 'p, I> {
    type Error = ModelError;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, ModelError> {
        let Some((i, value)) = self.items.next() else {
            return Ok(None);
        };
        let at = Crumb::Index(self.at, i);
        seed.deserialize(ValueDeserializer { value, at }).map(Some)
    }
}

struct Entries<'v, 'p, I: Iterator<Item = (&'v String, &'v Value)>> {
    entries: I,
    pending: Option<(&'v str, &'v Value)>,
    at: &'p Crumb<'p>,
    object: bool,
}

impl<'de, 'v: 'de, 'p, I: Iterator<Item = (&'v String, &'v Value)>> MapAccess<'de> for Entries<'v, 'p, I> {
    type Error = ModelError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, ModelError> {
        let Some((key, value)) = self.entries.next() else {
            return Ok(None);
        };
        self.pending = Some((key.as_str(), value));
        let key: de::value::BorrowedStrDeserializer<'de, ModelError> = de::value::BorrowedStrDeserializer::new(key);
        seed.deserialize(key).map(Some)
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, ModelError> {
        let Some((key, value)) = self.pending.take() else {
            return Err(de::Error::custom("a map value was asked for before its key"));
        };
        let at = if self.object {
            Crumb::Attr(self.at, key)
        } else {
            Crumb::Key(self.at, key)
        };
        seed.deserialize(ValueDeserializer { value, at })
    }
}
