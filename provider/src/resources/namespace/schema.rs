//! What users write for `hub_namespace`, and the model decoded from it.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::diag::Diagnostics;
use crate::schema::{Attribute, Block, Schema, validators};
use crate::value::{AttributePath, Value};

/// Default time `delete` waits for the namespace to disappear.
pub(super) const DEFAULT_DELETE_TIMEOUT: &str = "5m";

pub(super) fn schema() -> Schema {
    Schema::new(Block::new(
        "A Kubernetes namespace. Deleting it waits until the namespace is really gone and, when it is not \
         within `delete_timeout`, says what is holding it.",
        vec![
            Attribute::string("name")
                .required()
                .requires_replace()
                .validate(validators::dns1123_label())
                .description("Namespace name (DNS-1123 label). Changing it replaces the namespace."),
            Attribute::string_map("labels")
                .validate(validators::kubernetes_labels(true))
                .description("Labels hub manages on the namespace. Labels set by others are left alone."),
            Attribute::string_map("annotations")
                .validate(validators::kubernetes_labels(false))
                .description("Annotations hub manages on the namespace. Annotations set by others are left alone."),
            Attribute::string("delete_timeout")
                .default_value(DEFAULT_DELETE_TIMEOUT)
                .validate(duration_validator())
                .description("How long destroy waits for the namespace to disappear, e.g. `90s`, `5m`."),
            Attribute::string("id").computed().use_state_for_unknown().description("The namespace name."),
            Attribute::string("uid").computed().use_state_for_unknown().description("The namespace's Kubernetes UID."),
        ],
    ))
}

/// The decoded configuration or state.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct NamespaceModel {
    pub name: String,
    pub labels: Option<BTreeMap<String, String>>,
    pub annotations: Option<BTreeMap<String, String>>,
    pub delete_timeout: String,
}

impl NamespaceModel {
    /// Decodes a wholly known planned or prior state.
    pub fn from_value(v: &Value) -> Result<Self, Diagnostics> {
        let name = v.attr("name").and_then(Value::as_str).map(str::to_owned).ok_or_else(|| {
            Diagnostics::from_error("Missing Namespace Name", "hub_namespace has no known name. This is a bug in hub.")
        })?;
        Ok(NamespaceModel {
            name,
            labels: string_map(v.attr("labels")),
            annotations: string_map(v.attr("annotations")),
            delete_timeout: v
                .attr("delete_timeout")
                .and_then(Value::as_str)
                .unwrap_or(DEFAULT_DELETE_TIMEOUT)
                .to_owned(),
        })
    }
}

/// A state value for the given model and uid.
pub(super) fn state(model: &NamespaceModel, uid: &str) -> Value {
    let map = |m: &Option<BTreeMap<String, String>>| match m {
        Some(m) => Value::Map(m.iter().map(|(k, v)| (k.clone(), Value::string(v))).collect()),
        None => Value::Null,
    };
    Value::object([
        ("name", Value::string(&model.name)),
        ("labels", map(&model.labels)),
        ("annotations", map(&model.annotations)),
        ("delete_timeout", Value::string(&model.delete_timeout)),
        ("id", Value::string(&model.name)),
        ("uid", Value::string(uid)),
    ])
}

/// The state `import` starts from: the name; read fills in the rest.
pub(super) fn import_state(id: &str) -> Result<Value, Diagnostics> {
    if let Some(problem) = validators::dns1123_label_problem(id, 63) {
        return Err(Diagnostics::from_error(
            "Invalid Import ID",
            format!("The import ID is the namespace name; {id:?} {problem}."),
        ));
    }
    let model = NamespaceModel {
        name: id.to_owned(),
        labels: None,
        annotations: None,
        delete_timeout: DEFAULT_DELETE_TIMEOUT.to_owned(),
    };
    Ok(state(&model, ""))
}

fn string_map(v: Option<&Value>) -> Option<BTreeMap<String, String>> {
    v?.as_map().map(|m| m.iter().filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned()))).collect())
}

/// Parses durations such as `30s`, `5m`, `1h30m`.
pub(crate) fn parse_duration(text: &str) -> Option<Duration> {
    let mut total = 0u64;
    let mut digits = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        let n: u64 = digits.parse().ok()?;
        digits.clear();
        total += n * match c {
            'h' => 3600,
            'm' => 60,
            's' => 1,
            _ => return None,
        };
    }
    (digits.is_empty() && !text.is_empty()).then_some(Duration::from_secs(total))
}

fn duration_validator() -> crate::schema::Validator {
    crate::schema::Validator::new("a duration", |v, path: &AttributePath, diags: &mut Diagnostics| {
        if let Some(s) = v.as_str()
            && parse_duration(s).is_none()
        {
            diags.error_at(path, "Invalid Duration", format!("{path} = {s:?} is not a duration. Examples: \"90s\", \"5m\", \"1h30m\"."));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90s"), Some(Duration::from_secs(90)));
        assert_eq!(parse_duration("1h30m"), Some(Duration::from_secs(5400)));
        assert_eq!(parse_duration("5"), None);
        assert_eq!(parse_duration(""), None);
        assert_eq!(parse_duration("5x"), None);
    }

    #[test]
    fn import_rejects_invalid_names() {
        assert!(import_state("Bad_Name").is_err());
        let v = import_state("team-a").unwrap();
        assert_eq!(v.attr("name"), Some(&Value::string("team-a")));
    }
}
