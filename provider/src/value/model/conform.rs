//! Fits a serialized model to the schema's type: serde knows sequences, structs and maps; Terraform also
//! has sets, and objects whose every attribute must be present.

use crate::value::{AttributePath, EncodeError, Type, Value};

/// `raw` as a value of type `ty`, or an error naming the first place where the model and the type disagree.
pub(super) fn conform(raw: Value, ty: &Type, path: &AttributePath) -> Result<Value, EncodeError> {
    if matches!(raw, Value::Null | Value::Unknown(_)) {
        return Ok(raw);
    }
    match (ty, raw) {
        (Type::Bool, v @ Value::Bool(_))
        | (Type::Number, v @ Value::Number(_))
        | (Type::String, v @ Value::String(_)) => Ok(v),
        (Type::Dynamic, v) => Ok(v),
        (Type::List(el), Value::List(items)) => Ok(Value::List(elements(items, el, path)?)),
        (Type::Set(el), Value::List(items)) => Ok(Value::Set(elements(items, el, path)?)),
        (Type::Tuple(types), Value::List(items)) if types.len() == items.len() => Ok(Value::Tuple(
            items
                .into_iter()
                .zip(types)
                .enumerate()
                .map(|(i, (v, t))| conform(v, t, &path.then_index(i)))
                .collect::<Result<_, _>>()?,
        )),
        (Type::Map(el), Value::Map(entries) | Value::Object(entries)) => Ok(Value::Map(
            entries
                .into_iter()
                .map(|(k, v)| {
                    let here = path.then_key(&k);
                    Ok((k, conform(v, el, &here)?))
                })
                .collect::<Result<_, EncodeError>>()?,
        )),
        (Type::Object(attrs), Value::Object(mut fields) | Value::Map(mut fields)) => {
            let mut out = std::collections::BTreeMap::new();
            for (name, t) in attrs {
                let v = fields.remove(name).unwrap_or(Value::Null);
                out.insert(name.clone(), conform(v, t, &path.then_attr(name))?);
            }
            if let Some(extra) = fields.keys().next() {
                return Err(EncodeError::new(
                    &path.then_attr(extra),
                    "the model has a field the schema does not",
                ));
            }
            Ok(Value::Object(out))
        }
        (ty, v) => Err(EncodeError::new(
            path,
            format!("the model holds {v:?}, which is not a value of type {}", ty.to_json()),
        )),
    }
}

fn elements(items: Vec<Value>, el: &Type, path: &AttributePath) -> Result<Vec<Value>, EncodeError> {
    items
        .into_iter()
        .enumerate()
        .map(|(i, v)| conform(v, el, &path.then_index(i)))
        .collect()
}
