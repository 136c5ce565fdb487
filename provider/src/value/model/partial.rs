//! What a model cannot hold, put back after a plan. An unknown anywhere inside a [`Tf`](super::Tf) makes the
//! whole `Tf` unknown, so `labels = { team = "a", owner = (known after apply) }` would come back from the model
//! as a wholly unknown map. Terraform refuses that for an attribute the configuration sets (the planned value
//! must equal the configured one), so wherever the model left unknown a value that was only partly unknown,
//! the value as planned before the model stands.

use super::Value;

/// `encoded` (a model encoded after planning) with each unknown that stands for a partly known value of
/// `before` (the same value before it went through the model) replaced by that value.
pub fn restore_partly_known(encoded: Value, before: &Value) -> Value {
    match (encoded, before) {
        (Value::Unknown(_), before) if !before.is_null() && !before.is_wholly_known() => before.clone(),
        (Value::Object(mut now), Value::Object(was)) => {
            restore_entries(&mut now, was);
            Value::Object(now)
        }
        (Value::Map(mut now), Value::Map(was)) => {
            restore_entries(&mut now, was);
            Value::Map(now)
        }
        (Value::List(now), Value::List(was)) if now.len() == was.len() => Value::List(restore_items(now, was)),
        (Value::Tuple(now), Value::Tuple(was)) if now.len() == was.len() => Value::Tuple(restore_items(now, was)),
        (Value::Dynamic(ty, now), Value::Dynamic(_, was)) => {
            Value::Dynamic(ty, Box::new(restore_partly_known(*now, was)))
        }
        (encoded, _) => encoded,
    }
}

fn restore_entries(
    now: &mut std::collections::BTreeMap<String, Value>,
    was: &std::collections::BTreeMap<String, Value>,
) {
    for (key, value) in now.iter_mut() {
        if let Some(before) = was.get(key) {
            *value = restore_partly_known(std::mem::replace(value, Value::Null), before);
        }
    }
}

fn restore_items(now: Vec<Value>, was: &[Value]) -> Vec<Value> {
    now.into_iter()
        .zip(was)
        .map(|(now, was)| restore_partly_known(now, was))
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::{Deserialize, Serialize};

    use super::*;
    use crate::value::Type;
    use crate::value::model::{Tf, from_value, to_value};

    #[derive(Debug, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Model {
        labels: Tf<BTreeMap<String, String>>,
        block: Tf<Block>,
        id: Tf<String>,
    }

    #[derive(Debug, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Block {
        level: Option<String>,
        version: Option<String>,
    }

    fn ty() -> Type {
        Type::object([
            ("labels", Type::map(Type::String)),
            (
                "block",
                Type::object([("level", Type::String), ("version", Type::String)]),
            ),
            ("id", Type::String),
        ])
    }

    fn round_trip(before: &Value, change: impl FnOnce(&mut Model)) -> Value {
        let mut model: Model = from_value(before).unwrap();
        change(&mut model);
        restore_partly_known(to_value(&model, &ty()).unwrap(), before)
    }

    fn partly_known() -> Value {
        Value::object([
            (
                "labels",
                Value::Map(BTreeMap::from([
                    ("team".into(), Value::string("a")),
                    ("owner".into(), Value::unknown()),
                ])),
            ),
            (
                "block",
                Value::object([("level", Value::string("restricted")), ("version", Value::unknown())]),
            ),
            ("id", Value::string("x")),
        ])
    }

    #[test]
    fn partly_unknown_maps_and_objects_survive_the_model() {
        let before = partly_known();
        let model: Model = from_value(&before).unwrap();
        assert!(model.labels.is_unknown() && model.block.is_unknown());
        assert_eq!(round_trip(&before, |_| {}), before);
    }

    #[test]
    fn what_the_resource_sets_wins() {
        let before = partly_known();
        let after = round_trip(&before, |m| {
            m.id = Tf::Unknown;
            m.labels = Tf::Known(BTreeMap::from([("team".into(), "b".into())]));
        });
        assert_eq!(after.attr("id"), Some(&Value::unknown()));
        assert_eq!(
            after.attr("labels"),
            Some(&Value::Map(BTreeMap::from([("team".into(), Value::string("b"))])))
        );
        assert_eq!(after.attr("block"), before.attr("block"));
    }

    #[test]
    fn wholly_unknown_stays_unknown() {
        let before = Value::object([
            ("labels", Value::unknown()),
            ("block", Value::Null),
            ("id", Value::Null),
        ]);
        assert_eq!(round_trip(&before, |_| {}), before);
    }
}
