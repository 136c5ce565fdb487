//! The fast way to decode JSON state: straight from the bytes into a [`Value`], guided by the type, without
//! building a `serde_json::Value` tree first. Stored state is decoded on every plan (UpgradeResourceState),
//! once per resource instance.
//!
//! It gives up (`None`) on anything unusual: an error of any kind, a dynamic value, an attribute the type
//! lacks. [`super::json`] then decodes the same bytes the careful way, which says exactly what is wrong and
//! where. Scalars go through that same careful code, so both ways agree on every conversion.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value as Json;

use super::msgpack::dedupe_set;
use super::{Type, Value};

/// `bytes` as a value of `ty`, or `None` when the careful decoder must decide.
pub(super) fn decode(bytes: &[u8], ty: &Type, ignore_undefined: bool) -> Option<Value> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = Seed { ty, ignore_undefined }.deserialize(&mut de).ok()?;
    de.end().ok()?;
    Some(value)
}

/// Gives up on the fast way; the message is never shown.
fn give_up<E: de::Error>() -> E {
    E::custom("")
}

#[derive(Clone, Copy)]
struct Seed<'t> {
    ty: &'t Type,
    ignore_undefined: bool,
}

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Value, D::Error> {
        match self.ty {
            Type::Bool | Type::Number | Type::String => {
                let json = Json::deserialize(de)?;
                super::json::scalar(&json, self.ty).ok_or_else(give_up)
            }
            Type::Dynamic => Err(give_up()),
            _ => de.deserialize_any(self),
        }
    }
}

impl<'de> Visitor<'de> for Seed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value of the type")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let element = |ty| Seed {
            ty,
            ignore_undefined: self.ignore_undefined,
        };
        match self.ty {
            Type::List(ety) | Type::Set(ety) => {
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
                while let Some(v) = seq.next_element_seed(element(ety))? {
                    items.push(v);
                }
                Ok(if matches!(self.ty, Type::Set(_)) {
                    Value::Set(dedupe_set(items))
                } else {
                    Value::List(items)
                })
            }
            Type::Tuple(etys) => {
                let mut items = Vec::with_capacity(etys.len());
                for ety in etys {
                    items.push(seq.next_element_seed(element(ety))?.ok_or_else(give_up)?);
                }
                match seq.next_element::<IgnoredAny>()? {
                    None => Ok(Value::Tuple(items)),
                    Some(_) => Err(give_up()),
                }
            }
            _ => Err(give_up()),
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        match self.ty {
            Type::Map(ety) => {
                let mut entries = BTreeMap::new();
                while let Some(key) = map.next_key::<String>()? {
                    let value = map.next_value_seed(Seed {
                        ty: ety,
                        ignore_undefined: self.ignore_undefined,
                    })?;
                    entries.insert(key, value);
                }
                Ok(Value::Map(entries))
            }
            Type::Object(atys) => {
                let mut attrs = BTreeMap::new();
                while let Some(key) = map.next_key::<String>()? {
                    match atys.get(&key) {
                        Some(aty) => {
                            let value = map.next_value_seed(Seed {
                                ty: aty,
                                ignore_undefined: self.ignore_undefined,
                            })?;
                            attrs.insert(key, value);
                        }
                        None if self.ignore_undefined => {
                            map.next_value::<IgnoredAny>()?;
                        }
                        None => return Err(give_up()),
                    }
                }
                if attrs.len() < atys.len() {
                    for name in atys.keys() {
                        if !attrs.contains_key(name) {
                            attrs.insert(name.clone(), Value::Null);
                        }
                    }
                }
                Ok(Value::Object(attrs))
            }
            _ => Err(give_up()),
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::decode;
    use crate::value::json::{decode_carefully, encode};
    use crate::value::msgpack::generate;

    proptest! {
        /// Whatever the fast way decodes, the careful way decodes the same.
        #[test]
        fn agrees_with_the_careful_decoder((ty, value) in generate::typed_value(false), ignore in any::<bool>()) {
            let bytes = encode(&value, &ty).unwrap();
            if let Some(fast) = decode(&bytes, &ty, ignore) {
                prop_assert_eq!(Ok(fast), decode_carefully(&bytes, &ty, ignore));
            }
        }

        #[test]
        fn agrees_on_garbage(json in "[\\[\\]{}\",:0-9a-z.eE+-]{0,40}", ty in generate::any_type(3), ignore in any::<bool>()) {
            if let Some(fast) = decode(json.as_bytes(), &ty, ignore) {
                prop_assert_eq!(Ok(fast), decode_carefully(json.as_bytes(), &ty, ignore));
            }
        }
    }

    #[test]
    fn state_shapes_take_the_fast_way() {
        let ty = crate::value::Type::from_json_bytes(
            br#"["object",{"a":"string","n":"number","l":["list",["object",{"x":"bool"}]],"m":["map","string"],"s":["set","string"]}]"#,
        )
        .unwrap();
        let bytes =
            br#"{"a":"x","n":1.50,"l":[{"x":true},{"x":null}],"m":{"k":"v"},"s":["a","a"],"gone":{"deep":[1]}}"#;
        assert_eq!(
            decode(bytes, &ty, false),
            None,
            "an attribute the type lacks is for the careful way"
        );
        let fast = decode(bytes, &ty, true).expect("the fast way");
        assert_eq!(Ok(fast), decode_carefully(bytes, &ty, true));
        assert_eq!(
            decode(br#"{"a":"x"}"#, &ty, false),
            decode_carefully(br#"{"a":"x"}"#, &ty, false).ok()
        );
    }
}
