//! The check that keeps a model and its schema in step: a value with every attribute set must decode into
//! the model and encode back unchanged. A field renamed on one side only fails it (`deny_unknown_fields`
//! refuses the schema's name; the encoder refuses the model's).

use crate::value::{Number, Type, Value};

use super::Model;
use super::registry::ResourceEntry;

/// A value of type `ty` with every attribute, element and entry present and known.
pub fn full_sample(ty: &Type) -> Value {
    match ty {
        Type::Bool => Value::Bool(true),
        Type::Number => Value::Number(Number::from(1i64)),
        Type::String | Type::Dynamic => Value::string("x"),
        Type::List(el) => Value::List(vec![full_sample(el)]),
        Type::Set(el) => Value::Set(vec![full_sample(el)]),
        Type::Map(el) => Value::Map([("k".to_owned(), full_sample(el))].into()),
        Type::Object(attrs) => Value::Object(attrs.iter().map(|(k, t)| (k.clone(), full_sample(t))).collect()),
        Type::Tuple(types) => Value::Tuple(types.iter().map(full_sample).collect()),
    }
}

/// Whether model `M` holds every attribute of type `ty`, and only those.
pub fn check_model<M: Model>(ty: &Type) -> Result<(), String> {
    let sample = full_sample(ty);
    let model = M::decode(&sample).map_err(|e| format!("decoding a full value: {e}"))?;
    let back = model.encode(ty).map_err(|e| format!("encoding it back: {e}"))?;
    if back == sample {
        return Ok(());
    }
    let lost: Vec<String> = match (&sample, &back) {
        (Value::Object(want), Value::Object(got)) => want
            .iter()
            .filter(|(k, v)| got.get(*k) != Some(v))
            .map(|(k, _)| k.clone())
            .collect(),
        _ => vec!["the whole value".into()],
    };
    Err(format!(
        "these attributes do not survive the model: {}",
        lost.join(", ")
    ))
}

/// Whether the resource's model holds every attribute of its schema, and only those; the same for its
/// identity model and identity schema.
pub fn check(entry: &ResourceEntry) -> Result<(), String> {
    entry.imp.check_model(&entry.ty)?;
    let id_ty = entry.imp.identity_schema().implied_type();
    entry
        .imp
        .check_identity_model(&id_ty)
        .map_err(|e| format!("identity: {e}"))
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    use super::*;
    use crate::value::Tf;

    fn ty() -> Type {
        Type::object([("image", Type::String), ("replicas", Type::Number)])
    }

    #[derive(Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Right {
        image: Tf<String>,
        replicas: Tf<i64>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Renamed {
        imgae: Tf<String>,
        replicas: Tf<i64>,
    }

    #[derive(Serialize, Deserialize)]
    struct Missing {
        replicas: Tf<i64>,
    }

    #[test]
    fn a_model_in_step_passes_and_a_renamed_or_missing_field_fails() {
        assert_eq!(check_model::<Right>(&ty()), Ok(()));
        let renamed = check_model::<Renamed>(&ty()).unwrap_err();
        assert!(renamed.contains("image"), "{renamed}");
        let missing = check_model::<Missing>(&ty()).unwrap_err();
        assert!(missing.contains("image"), "{missing}");
    }
}
