//! A serde `Serializer` producing a [`Value`] with the shapes serde gives (sequences as lists, structs as
//! objects, maps as maps); [`super::conform`] then fits it to the schema's type.

use std::collections::BTreeMap;

use serde::ser::{self, Impossible, Serialize};

use super::error::ModelError;
use super::tf::UNKNOWN_NAME;
use crate::value::{Number, Value};

/// Serializes one value.
pub(super) struct ValueSerializer;

type Res = Result<Value, ModelError>;

fn number(n: Option<Number>) -> Res {
    n.map(Value::Number)
        .ok_or_else(|| ser::Error::custom("a number that is not finite cannot be stored"))
}

impl ser::Serializer for ValueSerializer {
    type Ok = Value;
    type Error = ModelError;
    type SerializeSeq = Elements;
    type SerializeTuple = Elements;
    type SerializeTupleStruct = Elements;
    type SerializeTupleVariant = Impossible<Value, ModelError>;
    type SerializeMap = Entries;
    type SerializeStruct = Fields;
    type SerializeStructVariant = Impossible<Value, ModelError>;

    fn serialize_bool(self, v: bool) -> Res {
        Ok(Value::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> Res {
        Ok(Value::from(i64::from(v)))
    }
    fn serialize_i16(self, v: i16) -> Res {
        Ok(Value::from(i64::from(v)))
    }
    fn serialize_i32(self, v: i32) -> Res {
        Ok(Value::from(i64::from(v)))
    }
    fn serialize_i64(self, v: i64) -> Res {
        Ok(Value::from(v))
    }
    fn serialize_u8(self, v: u8) -> Res {
        Ok(Value::from(i64::from(v)))
    }
    fn serialize_u16(self, v: u16) -> Res {
        Ok(Value::from(i64::from(v)))
    }
    fn serialize_u32(self, v: u32) -> Res {
        Ok(Value::from(i64::from(v)))
    }
    fn serialize_u64(self, v: u64) -> Res {
        Ok(Value::Number(Number::from(v)))
    }
    fn serialize_f32(self, v: f32) -> Res {
        number(Number::from_f64(f64::from(v)))
    }
    fn serialize_f64(self, v: f64) -> Res {
        number(Number::from_f64(v))
    }
    fn serialize_char(self, v: char) -> Res {
        Ok(Value::String(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> Res {
        Ok(Value::string(v))
    }
    fn serialize_bytes(self, _: &[u8]) -> Res {
        Err(ser::Error::custom("bytes have no Terraform type"))
    }
    fn serialize_none(self) -> Res {
        Ok(Value::Null)
    }
    fn serialize_some<T: ?Sized + Serialize>(self, v: &T) -> Res {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Res {
        Ok(Value::Null)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Res {
        Ok(Value::Null)
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Res {
        Ok(Value::string(variant))
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(self, name: &'static str, v: &T) -> Res {
        if name == UNKNOWN_NAME {
            return Ok(Value::unknown());
        }
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(self, _: &'static str, _: u32, _: &'static str, _: &T) -> Res {
        Err(ser::Error::custom("enum variants with data have no Terraform type"))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Elements, ModelError> {
        Ok(Elements(Vec::with_capacity(len.unwrap_or_default())))
    }
    fn serialize_tuple(self, len: usize) -> Result<Elements, ModelError> {
        Ok(Elements(Vec::with_capacity(len)))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Elements, ModelError> {
        Ok(Elements(Vec::with_capacity(len)))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, ModelError> {
        Err(ser::Error::custom("enum variants with data have no Terraform type"))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Entries, ModelError> {
        Ok(Entries::default())
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Fields, ModelError> {
        Ok(Fields(BTreeMap::new()))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, ModelError> {
        Err(ser::Error::custom("enum variants with data have no Terraform type"))
    }
}

/// The elements of a list, set or tuple being built.
pub(super) struct Elements(Vec<Value>);

impl Elements {
    fn push<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<(), ModelError> {
        self.0.push(v.serialize(ValueSerializer)?);
        Ok(())
    }
}

impl ser::SerializeSeq for Elements {
    type Ok = Value;
    type Error = ModelError;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<(), ModelError> {
        self.push(v)
    }
    fn end(self) -> Res {
        Ok(Value::List(self.0))
    }
}

impl ser::SerializeTuple for Elements {
    type Ok = Value;
    type Error = ModelError;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<(), ModelError> {
        self.push(v)
    }
    fn end(self) -> Res {
        Ok(Value::List(self.0))
    }
}

impl ser::SerializeTupleStruct for Elements {
    type Ok = Value;
    type Error = ModelError;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<(), ModelError> {
        self.push(v)
    }
    fn end(self) -> Res {
        Ok(Value::List(self.0))
    }
}

/// A map being built; keys must serialize as strings.
#[derive(Default)]
pub(super) struct Entries {
    map: BTreeMap<String, Value>,
    key: Option<String>,
}

impl ser::SerializeMap for Entries {
    type Ok = Value;
    type Error = ModelError;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<(), ModelError> {
        match key.serialize(ValueSerializer)? {
            Value::String(k) => {
                self.key = Some(k);
                Ok(())
            }
            _ => Err(ser::Error::custom("map keys must be strings")),
        }
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<(), ModelError> {
        let key = self
            .key
            .take()
            .ok_or_else(|| <ModelError as ser::Error>::custom("a map value came before its key"))?;
        let value = v
            .serialize(ValueSerializer)
            .map_err(|e| e.at(&crate::value::AttributePath::root().then_key(&key)))?;
        self.map.insert(key, value);
        Ok(())
    }
    fn end(self) -> Res {
        Ok(Value::Map(self.map))
    }
}

/// A struct being built: an object.
pub(super) struct Fields(BTreeMap<String, Value>);

impl ser::SerializeStruct for Fields {
    type Ok = Value;
    type Error = ModelError;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, name: &'static str, v: &T) -> Result<(), ModelError> {
        let value = v
            .serialize(ValueSerializer)
            .map_err(|e| e.at(&crate::value::AttributePath::attr(name)))?;
        self.0.insert(name.to_owned(), value);
        Ok(())
    }
    fn end(self) -> Res {
        Ok(Value::Object(self.0))
    }
}
