//! Dotted paths into JSON values (`spec.ports.0.name`): object keys by name, array elements by index.
//! A key that itself contains a dot cannot be addressed this way; use the raw `serde_json::Value` then.

use serde_json::Value;

/// The value at `path` (`""` is the value itself), or `None` when a step does not exist.
pub fn at<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    segments(path).try_fold(value, step)
}

/// Whether `marks` (an `after_unknown` / `after_sensitive` / `sensitive_values` tree of `true` leaves)
/// marks `path` or any prefix of it: an unknown or sensitive parent covers all its children.
pub fn marked(marks: &Value, path: &str) -> bool {
    let mut cur = marks;
    if cur == &Value::Bool(true) {
        return true;
    }
    for seg in segments(path) {
        match step(cur, seg) {
            Some(Value::Bool(true)) => return true,
            Some(next) => cur = next,
            None => return false,
        }
    }
    false
}

fn segments(path: &str) -> impl Iterator<Item = &str> {
    path.split('.').filter(|s| !s.is_empty())
}

fn step<'a>(v: &'a Value, seg: &str) -> Option<&'a Value> {
    match v {
        Value::Object(m) => m.get(seg),
        Value::Array(a) => seg.parse::<usize>().ok().and_then(|i| a.get(i)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn walks_objects_and_arrays() {
        let v = json!({"a": {"b": [{"c": 1}, {"c": 2}]}});
        assert_eq!(at(&v, "a.b.1.c"), Some(&json!(2)));
        assert_eq!(at(&v, ""), Some(&v));
        assert_eq!(at(&v, "a.b.2"), None);
        assert_eq!(at(&v, "a.x"), None);
    }

    #[test]
    fn marks_cover_children() {
        let m = json!({"a": true, "b": [false, {"c": true}]});
        assert!(marked(&m, "a.anything.below"));
        assert!(marked(&m, "b.1.c"));
        assert!(!marked(&m, "b.0"));
        assert!(!marked(&m, "z"));
        assert!(marked(&json!(true), "x"));
    }
}
