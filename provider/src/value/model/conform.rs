//! Fits a serialized model to the schema's type: serde knows sequences, structs and maps; Terraform also
//! has sets, and objects whose every attribute must be present.

use std::collections::BTreeMap;

use crate::value::{AttributePath, EncodeError, PathStep, Type, Value};

/// Where conforming failed, with the path built only while an error unwinds (innermost step first), so
/// fitting a large value allocates nothing for paths.
struct Misfit {
    steps: Vec<PathStep>,
    message: String,
}

impl Misfit {
    fn new(message: String) -> Self {
        Misfit {
            steps: Vec::new(),
            message,
        }
    }
    fn under(mut self, step: PathStep) -> Self {
        self.steps.push(step);
        self
    }
}

/// `raw` as a value of type `ty`, or an error naming the first place where the model and the type disagree.
pub(super) fn conform(raw: Value, ty: &Type, path: &AttributePath) -> Result<Value, EncodeError> {
    fit(raw, ty).map_err(|misfit| {
        let mut at = path.clone();
        at.0.extend(misfit.steps.into_iter().rev());
        EncodeError::new(&at, misfit.message)
    })
}

fn fit(raw: Value, ty: &Type) -> Result<Value, Misfit> {
    if matches!(raw, Value::Null | Value::Unknown(_)) {
        return Ok(raw);
    }
    match (ty, raw) {
        (Type::Bool, v @ Value::Bool(_))
        | (Type::Number, v @ Value::Number(_))
        | (Type::String, v @ Value::String(_)) => Ok(v),
        (Type::Dynamic, v) => Ok(v),
        (Type::List(el), Value::List(items)) => Ok(Value::List(elements(items, el)?)),
        (Type::Set(el), Value::List(items)) => Ok(Value::Set(elements(items, el)?)),
        (Type::Tuple(types), Value::List(items)) if types.len() == items.len() => Ok(Value::Tuple(
            items
                .into_iter()
                .zip(types)
                .enumerate()
                .map(|(i, (v, t))| fit(v, t).map_err(|m| m.under(index(i))))
                .collect::<Result<_, _>>()?,
        )),
        (Type::Map(el), Value::Map(entries) | Value::Object(entries)) => Ok(Value::Map(
            entries
                .into_iter()
                .map(|(k, v)| match fit(v, el) {
                    Ok(v) => Ok((k, v)),
                    Err(m) => Err(m.under(PathStep::Key(k))),
                })
                .collect::<Result<_, _>>()?,
        )),
        (Type::Object(attrs), Value::Object(mut fields) | Value::Map(mut fields)) => {
            // Built in one pass from the type's sorted attributes.
            let mut out = Vec::with_capacity(attrs.len());
            for (name, t) in attrs {
                // The serialized field's own key is reused; only an absent attribute needs a new one.
                let (key, v) = fields.remove_entry(name).unwrap_or_else(|| (name.clone(), Value::Null));
                let v = fit(v, t).map_err(|m| m.under(PathStep::Attr(name.clone())))?;
                out.push((key, v));
            }
            if let Some(extra) = fields.into_keys().next() {
                return Err(
                    Misfit::new("the model has a field the schema does not".to_owned()).under(PathStep::Attr(extra))
                );
            }
            Ok(Value::Object(out.into_iter().collect::<BTreeMap<_, _>>()))
        }
        (ty, v) => Err(Misfit::new(format!(
            "the model holds {v:?}, which is not a value of type {}",
            ty.to_json()
        ))),
    }
}

fn elements(items: Vec<Value>, el: &Type) -> Result<Vec<Value>, Misfit> {
    items
        .into_iter()
        .enumerate()
        .map(|(i, v)| fit(v, el).map_err(|m| m.under(index(i))))
        .collect()
}

fn index(i: usize) -> PathStep {
    PathStep::Index(i64::try_from(i).unwrap_or(i64::MAX))
}
