//! cty types: the type system Terraform values are checked against, with its JSON form.

use std::collections::BTreeMap;

use serde_json::Value as Json;

/// A cty type. Object attribute names are kept sorted, as cty does.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Type {
    /// `bool`
    Bool,
    /// `number`: arbitrary precision.
    Number,
    /// `string`
    String,
    /// `dynamic`: the concrete type travels with the value.
    Dynamic,
    /// `["list", T]`
    List(Box<Type>),
    /// `["set", T]`
    Set(Box<Type>),
    /// `["map", T]`
    Map(Box<Type>),
    /// `["object", {name: T}]`
    Object(BTreeMap<String, Type>),
    /// `["tuple", [T…]]`
    Tuple(Vec<Type>),
}

/// A type JSON document that is not a cty type.
#[derive(Debug, thiserror::Error)]
#[error("invalid type: {0}")]
pub struct TypeError(pub String);

impl Type {
    /// `["list", T]`.
    pub fn list(t: Type) -> Type {
        Type::List(Box::new(t))
    }
    /// `["set", T]`.
    pub fn set(t: Type) -> Type {
        Type::Set(Box::new(t))
    }
    /// `["map", T]`.
    pub fn map(t: Type) -> Type {
        Type::Map(Box::new(t))
    }
    /// An object type from `(name, type)` pairs.
    pub fn object<I: IntoIterator<Item = (S, Type)>, S: Into<String>>(attrs: I) -> Type {
        Type::Object(attrs.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    /// The JSON form Terraform uses in schemas and in dynamic values.
    pub fn to_json(&self) -> Json {
        match self {
            Type::Bool => Json::from("bool"),
            Type::Number => Json::from("number"),
            Type::String => Json::from("string"),
            Type::Dynamic => Json::from("dynamic"),
            Type::List(t) => Json::Array(vec!["list".into(), t.to_json()]),
            Type::Set(t) => Json::Array(vec!["set".into(), t.to_json()]),
            Type::Map(t) => Json::Array(vec!["map".into(), t.to_json()]),
            Type::Object(attrs) => Json::Array(vec![
                "object".into(),
                Json::Object(attrs.iter().map(|(k, t)| (k.clone(), t.to_json())).collect()),
            ]),
            Type::Tuple(elems) => Json::Array(vec![
                "tuple".into(),
                Json::Array(elems.iter().map(Type::to_json).collect()),
            ]),
        }
    }

    /// The compact JSON bytes of [`Type::to_json`], as sent in `Schema.Attribute.type`.
    pub fn to_json_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(&self.to_json()).expect("a JSON value always serialises")
    }

    /// Parses the JSON form. Object types with optional-attribute lists (a third element) are accepted
    /// and the list ignored, as providers never receive them in values.
    pub fn from_json(json: &Json) -> Result<Type, TypeError> {
        match json {
            Json::String(s) => match s.as_str() {
                "bool" => Ok(Type::Bool),
                "number" => Ok(Type::Number),
                "string" => Ok(Type::String),
                "dynamic" => Ok(Type::Dynamic),
                other => Err(TypeError(format!("unknown primitive type {other:?}"))),
            },
            Json::Array(parts) if parts.len() >= 2 => {
                let kind = parts[0]
                    .as_str()
                    .ok_or_else(|| TypeError("type kind must be a string".into()))?;
                match (kind, &parts[1]) {
                    ("list", t) => Ok(Type::list(Type::from_json(t)?)),
                    ("set", t) => Ok(Type::set(Type::from_json(t)?)),
                    ("map", t) => Ok(Type::map(Type::from_json(t)?)),
                    ("object", Json::Object(attrs)) => Ok(Type::Object(
                        attrs
                            .iter()
                            .map(|(k, t)| Ok((k.clone(), Type::from_json(t)?)))
                            .collect::<Result<_, TypeError>>()?,
                    )),
                    ("tuple", Json::Array(elems)) => Ok(Type::Tuple(
                        elems.iter().map(Type::from_json).collect::<Result<_, _>>()?,
                    )),
                    (other, _) => Err(TypeError(format!("unknown type kind {other:?}"))),
                }
            }
            other => Err(TypeError(format!("unexpected type JSON {other}"))),
        }
    }

    /// Parses the JSON bytes form.
    pub fn from_json_bytes(bytes: &[u8]) -> Result<Type, TypeError> {
        let json: Json = serde_json::from_slice(bytes).map_err(|e| TypeError(e.to_string()))?;
        Type::from_json(&json)
    }

    /// Whether this is a primitive type (bool, number, string).
    pub fn is_primitive(&self) -> bool {
        matches!(self, Type::Bool | Type::Number | Type::String)
    }
}
