//! Writing a resource block from typed values (`discover --generate`): strings quoted with HCL's escapes
//! (a `${` in a value stays literal), nested objects without their null attributes, keys bare when they
//! are identifiers, laid out as `terraform fmt` would.

use std::fmt::Write as _;

use crate::value::Value;

/// `resource "<ty>" "<name>" { … }` with `attributes`, in order.
pub fn resource(ty: &str, name: &str, attributes: &[(String, Value)]) -> String {
    let entries: Vec<(String, String)> = attributes.iter().map(|(k, v)| (k.clone(), expression(v, 1))).collect();
    format!("resource \"{ty}\" \"{name}\" {}\n", body(&entries, 0))
}

/// `{ key = value … }` at nesting `depth`, the `=` of consecutive one-line entries aligned as
/// `terraform fmt` aligns them (an entry whose value spans lines stands alone).
fn body(entries: &[(String, String)], depth: usize) -> String {
    let indent = "  ".repeat(depth);
    let mut out = String::from("{\n");
    for run in entries.chunk_by(|a, b| !a.1.contains('\n') && !b.1.contains('\n')) {
        let width = run.iter().map(|(k, _)| k.chars().count()).max().unwrap_or(0);
        for (k, v) in run {
            let _ = writeln!(out, "{indent}  {k:<width$} = {v}");
        }
    }
    out + &indent + "}"
}

/// A string literal: `"`, `\` and control characters escaped, and template sequences doubled.
fn string(s: &str) -> String {
    let mut out = String::from("\"");
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn key(k: &str) -> String {
    let identifier = k.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if identifier { k.to_owned() } else { string(k) }
}

/// `value` as an expression at nesting `depth` (two spaces each).
fn expression(value: &Value, depth: usize) -> String {
    let indent = "  ".repeat(depth);
    match value {
        Value::Null | Value::Unknown(_) => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => string(s),
        Value::Dynamic(_, v) => expression(v, depth),
        Value::List(items) | Value::Set(items) | Value::Tuple(items) => {
            if items
                .iter()
                .all(|i| matches!(i, Value::String(_) | Value::Number(_) | Value::Bool(_)))
            {
                let items: Vec<String> = items.iter().map(|i| expression(i, depth)).collect();
                return format!("[{}]", items.join(", "));
            }
            let mut out = String::from("[\n");
            for item in items {
                let _ = writeln!(out, "{indent}  {},", expression(item, depth + 1));
            }
            out + &indent + "]"
        }
        Value::Map(entries) | Value::Object(entries) => {
            let entries: Vec<_> = entries.iter().filter(|(_, v)| !matches!(v, Value::Null)).collect();
            if entries.is_empty() {
                return "{}".into();
            }
            let entries: Vec<(String, String)> = entries
                .iter()
                .map(|(k, v)| (key(k), expression(v, depth + 1)))
                .collect();
            body(&entries, depth)
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    #[test]
    fn values_are_written_as_hcl() {
        let env = Value::Map(BTreeMap::from([
            ("MODE".to_owned(), Value::String("a \"b\" ${c} %{d}\n".into())),
            ("app.kubernetes.io/x".to_owned(), Value::String("y".into())),
        ]));
        let resources = Value::Object(BTreeMap::from([
            ("cpu_request".to_owned(), Value::String("100m".into())),
            ("cpu_limit".to_owned(), Value::Null),
        ]));
        let ports = Value::List(vec![Value::Object(BTreeMap::from([(
            "port".to_owned(),
            Value::Bool(true),
        )]))]);
        let text = resource(
            "hub_app",
            "api",
            &[
                ("env".into(), env),
                ("resources".into(), resources),
                ("args".into(), Value::List(vec![Value::String("-v".into())])),
                ("ports".into(), ports),
            ],
        );
        assert_eq!(
            text,
            "resource \"hub_app\" \"api\" {\n  env = {\n    MODE                  = \"a \\\"b\\\" $${c} %%{d}\\n\"\n    \"app.kubernetes.io/x\" = \"y\"\n  }\n  resources = {\n    cpu_request = \"100m\"\n  }\n  args = [\"-v\"]\n  ports = [\n    {\n      port = true\n    },\n  ]\n}\n"
        );
    }
}
