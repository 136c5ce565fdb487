use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::*;
use crate::value::PathStep;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Port {
    number: i64,
    name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Model {
    name: Tf<String>,
    replicas: Tf<i64>,
    labels: Tf<BTreeMap<String, String>>,
    ports: Tf<Vec<Port>>,
    tags: Tf<Vec<String>>,
    id: Tf<String>,
}

fn ty() -> Type {
    Type::object([
        ("name", Type::String),
        ("replicas", Type::Number),
        ("labels", Type::map(Type::String)),
        (
            "ports",
            Type::list(Type::object([("number", Type::Number), ("name", Type::String)])),
        ),
        ("tags", Type::set(Type::String)),
        ("id", Type::String),
    ])
}

fn value(ports: Value, id: Value) -> Value {
    Value::object([
        ("name", Value::string("api")),
        ("replicas", Value::from(2)),
        ("labels", Value::Map(BTreeMap::from([("a".into(), Value::string("b"))]))),
        ("ports", ports),
        ("tags", Value::Set(vec![Value::string("x")])),
        ("id", id),
    ])
}

fn port(n: i64) -> Value {
    Value::object([("number", Value::from(n)), ("name", Value::Null)])
}

#[test]
fn round_trips_known_values_with_sets_maps_and_nulls() {
    let v = value(Value::List(vec![port(80)]), Value::Null);
    let m: Model = from_value(&v).unwrap();
    assert_eq!(m.name.as_deref(), Some("api"));
    assert_eq!(m.ports.get().unwrap()[0], Port { number: 80, name: None });
    assert!(m.id.is_null());
    assert_eq!(to_value(&m, &ty()).unwrap(), v);
}

#[test]
fn an_unknown_makes_the_nearest_tf_unknown_and_encodes_back_unknown() {
    let v = value(
        Value::List(vec![
            port(80),
            Value::object([("number", Value::unknown()), ("name", Value::Null)]),
        ]),
        Value::unknown(),
    );
    let m: Model = from_value(&v).unwrap();
    assert!(m.ports.is_unknown(), "an unknown port number makes the list unknown");
    assert!(m.id.is_unknown());
    let back = to_value(&m, &ty()).unwrap();
    assert_eq!(back.attr("id"), Some(&Value::unknown()));
    assert_eq!(back.attr("ports"), Some(&Value::unknown()));
}

#[test]
fn an_unknown_outside_any_tf_is_an_error_at_its_path() {
    let err = from_value::<Port>(&Value::object([("number", Value::unknown()), ("name", Value::Null)])).unwrap_err();
    assert_eq!(err.path, AttributePath::attr("number"));
}

#[test]
fn wrong_types_and_unknown_attributes_name_the_path() {
    let v = value(
        Value::List(vec![Value::object([
            ("number", Value::string("x")),
            ("name", Value::Null),
        ])]),
        Value::Null,
    );
    let err = from_value::<Model>(&v).unwrap_err();
    assert_eq!(
        err.path,
        AttributePath(vec![
            PathStep::Attr("ports".into()),
            PathStep::Index(0),
            PathStep::Attr("number".into())
        ])
    );
    let mut extra = value(Value::Null, Value::Null);
    if let Value::Object(m) = &mut extra {
        m.insert("imgae".into(), Value::string("typo"));
    }
    let err = from_value::<Model>(&extra).unwrap_err();
    assert!(err.message.contains("imgae"), "{err}");
}

#[test]
fn a_field_the_type_lacks_is_an_encode_error() {
    #[derive(Serialize)]
    struct Extra {
        name: &'static str,
        surprise: bool,
    }
    let err = to_value(
        &Extra {
            name: "a",
            surprise: true,
        },
        &Type::object([("name", Type::String)]),
    )
    .unwrap_err();
    assert_eq!(err.path, AttributePath::attr("surprise"));
}

#[test]
fn unit_enums_are_strings() {
    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Mechanism {
        Irsa,
        PodIdentity,
    }
    let m: Mechanism = from_value(&Value::string("pod_identity")).unwrap();
    assert_eq!(m, Mechanism::PodIdentity);
    assert_eq!(
        to_value(&Mechanism::Irsa, &Type::String).unwrap(),
        Value::string("irsa")
    );
    assert!(from_value::<Mechanism>(&Value::string("other")).is_err());
}
