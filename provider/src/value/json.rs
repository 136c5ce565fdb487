//! The JSON form of values, used in `DynamicValue.json`, `RawState.json` (state upgrades and moves) and
//! state files, as cty's `cty/json` reads and writes it.
//!
//! JSON cannot carry unknown values. Numbers keep their full precision (serde_json's
//! `arbitrary_precision`). Dynamic values are `{"value": V, "type": T}`. Object decoding fills missing
//! attributes with null; [`decode_ignoring_undefined`] also drops attributes the type no longer has, for
//! state written under an older schema.

use std::collections::BTreeMap;

use serde_json::{Map, Value as Json};

use super::msgpack::{MAX_DEPTH, dedupe_set, set_key, variant};
use super::{AttributePath, DecodeError, EncodeError, Number, StepRef, Trail, Type, Value};

/// Decodes JSON `bytes` as a value of type `ty`. Missing object attributes become null; attributes the
/// type does not have are an error.
pub fn decode(bytes: &[u8], ty: &Type) -> Result<Value, DecodeError> {
    decode_with(bytes, ty, false)
}

/// Like [`decode`], but object attributes the type does not have are dropped silently at any depth (for
/// `UpgradeResourceState` when the schema lost attributes).
pub fn decode_ignoring_undefined(bytes: &[u8], ty: &Type) -> Result<Value, DecodeError> {
    decode_with(bytes, ty, true)
}

/// Encodes `value` as type `ty`. Fails on unknown values (JSON cannot carry them), infinities, and values
/// that do not conform to the type (see [`super::msgpack::encode`]). Duplicate set elements are written once.
pub fn encode(value: &Value, ty: &Type) -> Result<Vec<u8>, EncodeError> {
    let mut encoder = Encoder {
        path: Trail::default(),
        depth: 0,
    };
    let json = encoder.value(value, ty)?;
    serde_json::to_vec(&json).map_err(|e| EncodeError::new(&AttributePath::root(), e.to_string()))
}

fn decode_with(bytes: &[u8], ty: &Type, ignore_undefined: bool) -> Result<Value, DecodeError> {
    match super::json_stream::decode(bytes, ty, ignore_undefined) {
        Some(value) => Ok(value),
        None => decode_carefully(bytes, ty, ignore_undefined),
    }
}

/// Decodes through a `serde_json::Value`, with an exact error (path and reason) for anything wrong.
pub(super) fn decode_carefully(bytes: &[u8], ty: &Type, ignore_undefined: bool) -> Result<Value, DecodeError> {
    // serde_json refuses nesting deeper than 128, so parsing cannot exhaust the stack.
    let json: Json = serde_json::from_slice(bytes)
        .map_err(|e| DecodeError::new(&AttributePath::root(), format!("invalid JSON: {e}")))?;
    Decoder {
        path: Trail::default(),
        depth: 0,
        ignore_undefined,
    }
    .value(&json, ty)
}

/// A JSON scalar as a value of a scalar type (with cty's conversions), `None` when it is not one.
pub(super) fn scalar(json: &Json, ty: &Type) -> Option<Value> {
    Decoder {
        path: Trail::default(),
        depth: 0,
        ignore_undefined: false,
    }
    .value(json, ty)
    .ok()
}

struct Decoder<'j> {
    path: Trail<'j>,
    depth: usize,
    ignore_undefined: bool,
}

impl<'j> Decoder<'j> {
    fn error(&self, message: impl Into<String>) -> DecodeError {
        DecodeError::new(&self.path.to_path(), message)
    }
    fn required(&self, what: &str, found: &Json) -> DecodeError {
        self.error(format!("{what} is required (found {})", kind(found)))
    }

    fn nested<T>(
        &mut self,
        step: Option<StepRef<'j>>,
        f: impl FnOnce(&mut Self) -> Result<T, DecodeError>,
    ) -> Result<T, DecodeError> {
        if self.depth >= MAX_DEPTH {
            return Err(self.error(format!("values nested more than {MAX_DEPTH} deep")));
        }
        self.depth += 1;
        let pushed = step.map(|s| self.path.push(s)).is_some();
        let result = f(self);
        if pushed {
            self.path.pop();
        }
        self.depth -= 1;
        result
    }

    fn value(&mut self, json: &'j Json, ty: &Type) -> Result<Value, DecodeError> {
        if json.is_null() {
            return Ok(Value::Null);
        }
        match ty {
            // cty converts strings to bools and numbers, and bools and numbers to strings.
            Type::Bool => match json {
                Json::Bool(b) => Ok(Value::Bool(*b)),
                Json::String(s) if s == "true" || s == "false" => Ok(Value::Bool(s == "true")),
                other => Err(self.required("bool", other)),
            },
            Type::Number => {
                let text = match json {
                    Json::Number(n) => n.to_string(),
                    Json::String(s) => s.clone(),
                    other => return Err(self.required("number", other)),
                };
                Number::parse(&text)
                    .map(Value::Number)
                    .map_err(|e| self.error(e.to_string()))
            }
            Type::String => match json {
                Json::String(s) => Ok(Value::String(s.clone())),
                Json::Number(n) => Ok(Value::String(n.to_string())),
                Json::Bool(b) => Ok(Value::String(b.to_string())),
                other => Err(self.required("string", other)),
            },
            Type::List(ety) => {
                let Json::Array(elems) = json else {
                    return Err(self.required("an array for a list", json));
                };
                let elems = elems
                    .iter()
                    .enumerate()
                    .map(|(i, e)| self.nested(Some(StepRef::Index(i)), |d| d.value(e, ety)));
                Ok(Value::List(elems.collect::<Result<_, _>>()?))
            }
            Type::Set(ety) => {
                let Json::Array(elems) = json else {
                    return Err(self.required("an array for a set", json));
                };
                let elems = elems.iter().map(|e| self.nested(None, |d| d.value(e, ety)));
                Ok(Value::Set(dedupe_set(elems.collect::<Result<_, _>>()?)))
            }
            Type::Tuple(etys) => {
                let Json::Array(elems) = json else {
                    return Err(self.required("an array for a tuple", json));
                };
                if elems.len() != etys.len() {
                    let message = format!("a tuple of length {} is required ({} given)", etys.len(), elems.len());
                    return Err(self.error(message));
                }
                let elems = elems
                    .iter()
                    .zip(etys)
                    .enumerate()
                    .map(|(i, (e, ety))| self.nested(Some(StepRef::Index(i)), |d| d.value(e, ety)));
                Ok(Value::Tuple(elems.collect::<Result<_, _>>()?))
            }
            Type::Map(ety) => {
                let Json::Object(entries) = json else {
                    return Err(self.required("an object for a map", json));
                };
                let entries = entries
                    .iter()
                    .map(|(k, e)| self.nested(Some(StepRef::Key(k)), |d| Ok((k.clone(), d.value(e, ety)?))));
                Ok(Value::Map(entries.collect::<Result<_, _>>()?))
            }
            Type::Object(atys) => {
                let Json::Object(entries) = json else {
                    return Err(self.required("an object", json));
                };
                if !self.ignore_undefined
                    && let Some(extra) = entries.keys().find(|k| !atys.contains_key(*k))
                {
                    return Err(self.error(format!("unsupported attribute {extra:?}")));
                }
                let attrs = atys.iter().map(|(name, aty)| match entries.get_key_value(name) {
                    None => Ok((name.clone(), Value::Null)),
                    Some((key, e)) => self.nested(Some(StepRef::Attr(key)), |d| Ok((name.clone(), d.value(e, aty)?))),
                });
                Ok(Value::Object(attrs.collect::<Result<_, _>>()?))
            }
            Type::Dynamic => {
                let Json::Object(entries) = json else {
                    return Err(self.required(r#"an object {"value": …, "type": …} for a dynamic value"#, json));
                };
                if let Some(extra) = entries.keys().find(|k| *k != "value" && *k != "type") {
                    return Err(self.error(format!("invalid key {extra:?} in a dynamic value")));
                }
                let (Some(type_json), Some(value)) = (entries.get("type"), entries.get("value")) else {
                    return Err(self.error(r#"a dynamic value needs both "value" and "type""#));
                };
                let ty = Type::from_json(type_json).map_err(|e| self.error(e.to_string()))?;
                let value = self.nested(None, |d| d.value(value, &ty))?;
                Ok(Value::Dynamic(ty, Box::new(value)))
            }
        }
    }
}

struct Encoder<'v> {
    path: Trail<'v>,
    depth: usize,
}

impl<'v> Encoder<'v> {
    fn error(&self, message: impl Into<String>) -> EncodeError {
        EncodeError::new(&self.path.to_path(), message)
    }

    fn nested(
        &mut self,
        step: Option<StepRef<'v>>,
        f: impl FnOnce(&mut Self) -> Result<Json, EncodeError>,
    ) -> Result<Json, EncodeError> {
        if self.depth >= MAX_DEPTH {
            return Err(self.error(format!("values nested more than {MAX_DEPTH} deep")));
        }
        self.depth += 1;
        let pushed = step.map(|s| self.path.push(s)).is_some();
        let result = f(self);
        if pushed {
            self.path.pop();
        }
        self.depth -= 1;
        result
    }

    fn value(&mut self, value: &'v Value, ty: &Type) -> Result<Json, EncodeError> {
        Ok(match (value, ty) {
            (Value::Null, _) => Json::Null,
            (Value::Unknown(_), _) => {
                return Err(self.error("unknown values cannot be represented in JSON"));
            }
            (Value::Dynamic(vty, inner), Type::Dynamic) => {
                let inner = self.nested(None, |e| e.value(inner, vty))?;
                let mut map = Map::new();
                map.insert("value".into(), inner);
                map.insert("type".into(), vty.to_json());
                Json::Object(map)
            }
            (Value::Dynamic(vty, inner), ty) if vty == ty => self.value(inner, ty)?,
            (Value::Bool(b), Type::Bool) => Json::Bool(*b),
            (Value::Number(n), Type::Number) => {
                if n.is_infinite() {
                    return Err(self.error(format!("{n} cannot be represented in JSON")));
                }
                Json::Number(
                    n.to_string()
                        .parse()
                        .map_err(|e| self.error(format!("number {n}: {e}")))?,
                )
            }
            (Value::String(s), Type::String) => Json::String(s.clone()),
            (Value::List(elems), Type::List(ety)) => Json::Array(
                elems
                    .iter()
                    .enumerate()
                    .map(|(i, elem)| self.nested(Some(StepRef::Index(i)), |e| e.value(elem, ety)))
                    .collect::<Result<_, _>>()?,
            ),
            (Value::Set(elems), Type::Set(ety)) => {
                let mut seen = std::collections::HashSet::new();
                let unique = elems.iter().filter(|e| set_key(e).is_none_or(|k| seen.insert(k)));
                Json::Array(
                    unique
                        .map(|elem| self.nested(None, |e| e.value(elem, ety)))
                        .collect::<Result<_, _>>()?,
                )
            }
            (Value::Tuple(elems), Type::Tuple(etys)) => {
                if elems.len() != etys.len() {
                    let message = format!("a tuple of length {} is required ({} given)", etys.len(), elems.len());
                    return Err(self.error(message));
                }
                Json::Array(
                    elems
                        .iter()
                        .zip(etys)
                        .enumerate()
                        .map(|(i, (elem, ety))| self.nested(Some(StepRef::Index(i)), |e| e.value(elem, ety)))
                        .collect::<Result<_, _>>()?,
                )
            }
            (Value::Map(map), Type::Map(ety)) => Json::Object(self.entries(map, StepRef::Key, |_| &**ety)?),
            (Value::Object(attrs), Type::Object(atys)) => {
                if let Some(extra) = attrs.keys().find(|k| !atys.contains_key(*k)) {
                    return Err(self.error(format!("unsupported attribute {extra:?}")));
                }
                if let Some(missing) = atys.keys().find(|k| !attrs.contains_key(*k)) {
                    return Err(self.error(format!("attribute {missing:?} is missing (use Value::Null)")));
                }
                Json::Object(self.entries(attrs, StepRef::Attr, |k| &atys[k])?)
            }
            (_, Type::Dynamic) => {
                return Err(self.error("a value at a dynamic position must be Value::Dynamic, Null or Unknown"));
            }
            (value, ty) => {
                let json = ty.to_json();
                return Err(self.error(format!("{} value does not conform to type {json}", variant(value))));
            }
        })
    }

    /// The JSON object of a map or an object's attributes (whose keys are known to be in the type).
    fn entries<'t>(
        &mut self,
        entries: &'v BTreeMap<String, Value>,
        step: impl Fn(&'v str) -> StepRef<'v>,
        ty: impl Fn(&str) -> &'t Type,
    ) -> Result<Map<String, Json>, EncodeError> {
        entries
            .iter()
            .map(|(k, v)| Ok((k.clone(), self.nested(Some(step(k)), |e| e.value(v, ty(k)))?)))
            .collect()
    }
}

fn kind(json: &Json) -> &'static str {
    match json {
        Json::Null => "null",
        Json::Bool(_) => "bool",
        Json::Number(_) => "number",
        Json::String(_) => "string",
        Json::Array(_) => "array",
        Json::Object(_) => "object",
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::super::msgpack::generate;
    use super::*;

    fn num(s: &str) -> Value {
        Value::Number(Number::parse(s).unwrap())
    }
    fn err(json: &str, ty: &Type) -> DecodeError {
        decode(json.as_bytes(), ty).expect_err("decoding should fail")
    }

    #[test]
    fn objects_fill_missing_attributes_with_null() {
        let ty = Type::object([("a", Type::String), ("b", Type::list(Type::Bool))]);
        let value = Value::object([("a", Value::string("x")), ("b", Value::Null)]);
        assert_eq!(decode(br#"{"a":"x"}"#, &ty), Ok(value.clone()));
        assert_eq!(encode(&value, &ty).unwrap(), br#"{"a":"x","b":null}"#);
        assert_eq!(err(r#"{"a":"x","c":1}"#, &ty).message, r#"unsupported attribute "c""#);
        assert!(
            encode(&Value::object([("a", Value::Null)]), &ty)
                .unwrap_err()
                .message
                .contains(r#""b" is missing"#)
        );
    }

    #[test]
    fn ignoring_undefined_drops_removed_attributes_at_any_depth() {
        let ty = Type::object([
            ("a", Type::String),
            ("blocks", Type::list(Type::object([("x", Type::Number)]))),
        ]);
        let json = br#"{"a":"v","gone":true,"blocks":[{"x":1,"old":{"deep":1}}]}"#;
        let expected = Value::object([
            ("a", Value::string("v")),
            ("blocks", Value::List(vec![Value::object([("x", num("1"))])])),
        ]);
        assert_eq!(decode_ignoring_undefined(json, &ty), Ok(expected));
        assert!(decode(json, &ty).is_err());
    }

    #[test]
    fn numbers_keep_their_precision() {
        for text in [
            "0.1",
            "12345678901234567890123",
            "-1.5",
            "1e400",
            "0.30000000000000000000000000001",
        ] {
            let value = decode(text.as_bytes(), &Type::Number).unwrap();
            assert_eq!(value, num(text));
            let back = encode(&value, &Type::Number).unwrap();
            assert_eq!(decode(&back, &Type::Number), Ok(value));
        }
        assert_eq!(encode(&num("0.1"), &Type::Number).unwrap(), b"0.1");
        assert_eq!(encode(&num("1e3"), &Type::Number).unwrap(), b"1000");
        // cty converts numeric strings, and numbers and bools to strings.
        assert_eq!(decode(br#""2.5""#, &Type::Number), Ok(num("2.5")));
        assert_eq!(decode(b"2.50", &Type::String), Ok(Value::string("2.50")));
        assert_eq!(decode(b"true", &Type::String), Ok(Value::string("true")));
        assert_eq!(decode(br#""false""#, &Type::Bool), Ok(Value::Bool(false)));
        assert!(err(r#""yes""#, &Type::Bool).message.contains("bool is required"));
        assert!(err(r#""x""#, &Type::Number).message.contains("not a decimal"));
        assert!(encode(&Value::Number(Number::infinity()), &Type::Number).is_err());
    }

    #[test]
    fn dynamic_values_carry_their_type() {
        let value = Value::Dynamic(
            Type::list(Type::String),
            Box::new(Value::List(vec![Value::string("x")])),
        );
        let json = br#"{"value":["x"],"type":["list","string"]}"#;
        assert_eq!(encode(&value, &Type::Dynamic).unwrap(), json);
        assert_eq!(decode(json, &Type::Dynamic), Ok(value));
        assert_eq!(decode(b"null", &Type::Dynamic), Ok(Value::Null));
        assert_eq!(
            decode(br#"{"type":"string","value":null}"#, &Type::Dynamic),
            Ok(Value::Dynamic(Type::String, Box::new(Value::Null)))
        );
        assert!(err(r#"{"value":1}"#, &Type::Dynamic).message.contains("both"));
        assert!(
            err(r#"{"value":1,"type":"number","x":1}"#, &Type::Dynamic)
                .message
                .contains("invalid key")
        );
        assert!(
            err(r#"{"value":1,"type":"nope"}"#, &Type::Dynamic)
                .message
                .contains("invalid type")
        );
        assert!(err("1", &Type::Dynamic).message.contains("dynamic"));
    }

    #[test]
    fn unknowns_cannot_be_encoded() {
        let ty = Type::object([("a", Type::list(Type::String))]);
        let value = Value::object([("a", Value::List(vec![Value::unknown()]))]);
        let e = encode(&value, &ty).unwrap_err();
        assert_eq!(e.to_string(), "a[0]: unknown values cannot be represented in JSON");
    }

    #[test]
    fn collections() {
        let ty = Type::object([
            ("s", Type::set(Type::Number)),
            ("m", Type::map(Type::Bool)),
            ("t", Type::Tuple(vec![Type::String])),
        ]);
        let value = decode(br#"{"s":[1,1.0,2],"m":{"k":true},"t":["x"]}"#, &ty).unwrap();
        assert_eq!(value.attr("s"), Some(&Value::Set(vec![num("1"), num("2")])));
        assert_eq!(encode(&value, &ty).unwrap(), br#"{"m":{"k":true},"s":[1,2],"t":["x"]}"#);
        assert_eq!(
            err(r#"{"t":[]}"#, &ty).to_string(),
            "t: a tuple of length 1 is required (0 given)"
        );
        assert_eq!(
            err(r#"{"m":{"k":1}}"#, &ty).to_string(),
            r#"m["k"]: bool is required (found number)"#
        );
        assert!(err("[1", &ty).message.contains("invalid JSON"));
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert!(decode(deep.as_bytes(), &Type::list(Type::Bool)).is_err());
    }

    proptest! {
        #[test]
        fn round_trips_known_values((ty, value) in generate::typed_value(false)) {
            let bytes = encode(&value, &ty).unwrap();
            prop_assert_eq!(decode(&bytes, &ty), Ok(value.clone()));
            prop_assert_eq!(decode_ignoring_undefined(&bytes, &ty), Ok(value));
        }

        #[test]
        fn decoding_garbage_never_panics(json in "[\\[\\]{}\",:0-9a-z.eE+-]{0,40}", ty in generate::any_type(3)) {
            let _ = decode(json.as_bytes(), &ty);
            let _ = decode_ignoring_undefined(json.as_bytes(), &ty);
        }
    }
}
