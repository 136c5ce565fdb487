//! How types and default values read on a page: the registry's words for types (`Map of String`) and HCL
//! literals for defaults.

use crate::value::{Type, Value};

/// The registry's name of a type: `String`, `List of Number`, `Map of String`, `Object`.
pub(super) fn type_name(ty: &Type) -> String {
    match ty {
        Type::Bool => "Bool".into(),
        Type::Number => "Number".into(),
        Type::String => "String".into(),
        Type::Dynamic => "Dynamic".into(),
        Type::List(e) => format!("List of {}", type_name(e)),
        Type::Set(e) => format!("Set of {}", type_name(e)),
        Type::Map(e) => format!("Map of {}", type_name(e)),
        Type::Object(_) => "Object".into(),
        Type::Tuple(_) => "Tuple".into(),
    }
}

/// A value as an HCL literal; object members that are null are left out (they mean "not set").
pub(super) fn hcl_literal(value: &Value) -> String {
    let list = |items: &[Value]| format!("[{}]", items.iter().map(hcl_literal).collect::<Vec<_>>().join(", "));
    let object = |entries: &std::collections::BTreeMap<String, Value>| {
        let members: Vec<String> = entries
            .iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| format!("{k} = {}", hcl_literal(v)))
            .collect();
        if members.is_empty() {
            "{}".into()
        } else {
            format!("{{ {} }}", members.join(", "))
        }
    };
    match value {
        Value::Null => "null".into(),
        Value::Unknown(_) => "(known after apply)".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => format!("{s:?}"),
        Value::List(items) | Value::Set(items) | Value::Tuple(items) => list(items),
        Value::Map(entries) | Value::Object(entries) => object(entries),
        Value::Dynamic(_, inner) => hcl_literal(inner),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names_read_like_the_registry() {
        assert_eq!(type_name(&Type::map(Type::String)), "Map of String");
        assert_eq!(type_name(&Type::list(Type::Number)), "List of Number");
        assert_eq!(type_name(&Type::set(Type::list(Type::Bool))), "Set of List of Bool");
    }

    #[test]
    fn defaults_are_hcl_literals() {
        assert_eq!(hcl_literal(&Value::from(8080i64)), "8080");
        assert_eq!(hcl_literal(&Value::string("5m")), "\"5m\"");
        let obj = Value::object([
            ("wait", Value::Bool(true)),
            ("cpu_limit", Value::Null),
            ("t", Value::string("x")),
        ]);
        assert_eq!(hcl_literal(&obj), "{ t = \"x\", wait = true }");
    }
}
