//! The generic plan algorithm, in terraform-plugin-framework's order: start from core's proposed state,
//! apply defaults, null write-only values, and only when something really changes mark computed values
//! unknown (keeping stable ones from state), then collect replacement paths.
//!
//! Marking computed values unknown only on change is what keeps "no changes" plans empty: core chooses
//! NoOp exactly when planned == prior.

use crate::schema::{Attribute, AttributeKind, Block, Nesting};
use crate::value::{AttributePath, Value};

/// The generic plan for a create (`prior` = None) or an update. Returns the planned state and the paths
/// whose change requires replacement.
pub fn plan(block: &Block, prior: Option<&Value>, config: &Value, proposed: &Value) -> (Value, Vec<AttributePath>) {
    let mut planned = proposed.clone();
    apply_defaults(&block.attributes, config, &mut planned);
    if prior != Some(&planned) {
        mark_unknown(&block.attributes, prior, config, &mut planned);
    }
    let mut replace = Vec::new();
    if let Some(prior) = prior {
        collect_replacements(&block.attributes, prior, &planned, &AttributePath::root(), &mut replace);
    }
    (planned, replace)
}

/// Sets schema defaults where the configuration is null and nulls write-only attributes, recursively
/// through single, list and map nested attributes.
fn apply_defaults(attrs: &[Attribute], config: &Value, planned: &mut Value) {
    for attr in attrs {
        let cfg = config.attr(&attr.name).unwrap_or(&Value::Null);
        let Some(slot) = planned.attr_mut(&attr.name) else {
            continue;
        };
        if attr.write_only {
            *slot = Value::Null;
            continue;
        }
        if cfg.is_null()
            && let Some(default) = &attr.default
        {
            *slot = default.clone();
            continue;
        }
        if let AttributeKind::Nested(nesting, children) = &attr.kind {
            for_each_nested(*nesting, cfg, slot, |c, p| apply_defaults(children, c, p));
        }
    }
}

/// Marks computed attributes that the configuration leaves null as unknown ("known after apply"), except
/// those that keep their state value.
fn mark_unknown(attrs: &[Attribute], prior: Option<&Value>, config: &Value, planned: &mut Value) {
    for attr in attrs {
        let cfg = config.attr(&attr.name).unwrap_or(&Value::Null);
        let prior_value = prior.and_then(|p| p.attr(&attr.name));
        let Some(slot) = planned.attr_mut(&attr.name) else {
            continue;
        };
        if attr.is_computed() && cfg.is_null() && attr.default.is_none() {
            *slot = match prior_value {
                Some(p) if attr.use_state_for_unknown && !p.is_null() => p.clone(),
                _ => Value::unknown(),
            };
            continue;
        }
        if let AttributeKind::Nested(Nesting::Single, children) = &attr.kind
            && !slot.is_null()
            && !slot.is_unknown()
        {
            mark_unknown(children, prior_value.filter(|p| !p.is_null()), cfg, slot);
        }
    }
}

/// Paths of `requires_replace` attributes whose planned value differs from state.
fn collect_replacements(
    attrs: &[Attribute],
    prior: &Value,
    planned: &Value,
    path: &AttributePath,
    out: &mut Vec<AttributePath>,
) {
    for attr in attrs {
        let before = prior.attr(&attr.name).unwrap_or(&Value::Null);
        let after = planned.attr(&attr.name).unwrap_or(&Value::Null);
        let here = path.then_attr(&attr.name);
        if attr.requires_replace && before != after {
            out.push(here.clone());
        }
        if let AttributeKind::Nested(Nesting::Single, children) = &attr.kind {
            collect_replacements(children, before, after, &here, out);
        }
    }
}

/// Nulls every write-only attribute, so that no state, plan or read result ever holds one.
pub fn strip_write_only(block: &Block, value: &mut Value) {
    strip_attrs(&block.attributes, value);
}

fn strip_attrs(attrs: &[Attribute], value: &mut Value) {
    for attr in attrs {
        let Some(slot) = value.attr_mut(&attr.name) else {
            continue;
        };
        if attr.write_only {
            *slot = Value::Null;
        } else if let AttributeKind::Nested(nesting, children) = &attr.kind {
            for_each_nested(*nesting, &Value::Null, slot, |_, v| strip_attrs(children, v));
        }
    }
}

/// Runs `f` on each (config element, planned element) pair of a nested attribute value.
fn for_each_nested(nesting: Nesting, config: &Value, planned: &mut Value, mut f: impl FnMut(&Value, &mut Value)) {
    match (nesting, planned) {
        (Nesting::Single, p @ Value::Object(_)) => f(config, p),
        (Nesting::List, Value::List(items)) => {
            for (i, p) in items.iter_mut().enumerate() {
                let c = config.as_elements().and_then(|e| e.get(i)).unwrap_or(&Value::Null);
                f(c, p);
            }
        }
        (Nesting::Map, Value::Map(items)) => {
            for (k, p) in items.iter_mut() {
                let c = config.as_map().and_then(|m| m.get(k)).unwrap_or(&Value::Null);
                f(c, p);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Attribute;

    fn block() -> Block {
        Block::new(
            "test",
            vec![
                Attribute::string("name").required().requires_replace(),
                Attribute::string("uid").computed().use_state_for_unknown(),
                Attribute::string("version").computed(),
                Attribute::string("mode").default_value("safe"),
                Attribute::string("secret").write_only(),
            ],
        )
    }

    fn obj(name: &str, uid: Value, version: Value, mode: Value, secret: Value) -> Value {
        Value::object([
            ("name", Value::string(name)),
            ("uid", uid),
            ("version", version),
            ("mode", mode),
            ("secret", secret),
        ])
    }

    #[test]
    fn create_marks_computed_unknown_applies_defaults_and_drops_write_only() {
        let config = obj("a", Value::Null, Value::Null, Value::Null, Value::string("s3cret"));
        let (planned, replace) = plan(&block(), None, &config, &config);
        assert_eq!(
            planned,
            obj(
                "a",
                Value::unknown(),
                Value::unknown(),
                Value::string("safe"),
                Value::Null
            )
        );
        assert!(replace.is_empty());
    }

    /// State after a create with name "a".
    fn applied() -> Value {
        obj(
            "a",
            Value::string("u1"),
            Value::string("7"),
            Value::string("safe"),
            Value::Null,
        )
    }

    #[test]
    fn unchanged_config_plans_exactly_the_prior_state() {
        let prior = applied();
        let config = obj("a", Value::Null, Value::Null, Value::Null, Value::Null);
        let proposed = prior.clone();
        let (planned, replace) = plan(&block(), Some(&prior), &config, &proposed);
        assert_eq!(planned, prior, "a no-op plan must equal prior exactly");
        assert!(replace.is_empty());
    }

    #[test]
    fn change_keeps_stable_computed_values_and_flags_replacement() {
        let prior = applied();
        let config = obj("b", Value::Null, Value::Null, Value::Null, Value::Null);
        let mut proposed = prior.clone();
        *proposed.attr_mut("name").unwrap() = Value::string("b");
        let (planned, replace) = plan(&block(), Some(&prior), &config, &proposed);
        assert_eq!(planned.attr("uid"), Some(&Value::string("u1")));
        assert_eq!(planned.attr("version"), Some(&Value::unknown()));
        assert_eq!(replace, vec![AttributePath::attr("name")]);
    }
}
