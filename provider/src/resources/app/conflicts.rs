//! The rule for fields another field manager holds: a field hub applied before (it is in the manifest hub
//! last applied) is hub's, and apply takes it back; a field hub never applied stays with its manager unless
//! `force_conflicts`. Plan (by dry-run) and apply judge a conflict with the same function, so they agree.

use crate::k8s;
use serde_json::Value as Json;

/// One field that server-side apply refused because another manager holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Conflict {
    /// The field, as the API server names it (`.spec.replicas`, `.spec.template.spec.containers[name="api"].image`).
    pub field: String,
    /// The manager holding it (`kubectl-edit`).
    pub manager: String,
}

/// The conflicts of a refused server-side apply (a conflict with `FieldManagerConflict` causes).
pub(super) fn of(err: &k8s::Error) -> Vec<Conflict> {
    let k8s::Error::Conflict(status) = err else {
        return Vec::new();
    };
    status
        .details
        .iter()
        .flat_map(|d| d.causes.iter())
        .filter(|c| c.reason == "FieldManagerConflict")
        .map(|c| Conflict {
            field: c.field.clone(),
            manager: c.message.split('"').nth(1).unwrap_or(&c.message).to_owned(),
        })
        .collect()
}

/// What hub does about an object's conflicts.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Verdict {
    /// Every field was hub's before: take them back.
    TakeBack(Vec<Conflict>),
    /// Some fields hub never applied: refused unless `force_conflicts`.
    Foreign(Vec<Conflict>),
}

/// Judges `conflicts` against the manifest hub last applied for the object (`None`: hub never applied it,
/// e.g. right after an import or for an adopted object).
pub(super) fn judge(conflicts: Vec<Conflict>, applied_before: Option<&Json>) -> Verdict {
    let ours = |c: &Conflict| applied_before.is_some_and(|m| present(m, &c.field));
    if conflicts.iter().all(ours) {
        Verdict::TakeBack(conflicts)
    } else {
        Verdict::Foreign(conflicts.into_iter().filter(|c| !ours(c)).collect())
    }
}

/// `field (manager)` for each conflict, comma separated.
pub(super) fn describe(conflicts: &[Conflict]) -> String {
    conflicts
        .iter()
        .map(|c| format!("{} (held by {:?})", c.field, c.manager))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether `path` (a field path in the API server's notation) names a value present in `manifest`.
/// Field names may contain dots (label keys), so each way of splitting the path is tried.
pub(super) fn present(manifest: &Json, path: &str) -> bool {
    if path.is_empty() {
        return true;
    }
    if let Some(rest) = path.strip_prefix('.') {
        let Some(object) = manifest.as_object() else {
            return false;
        };
        let ends = rest
            .char_indices()
            .filter(|(_, c)| *c == '.' || *c == '[')
            .map(|(i, _)| i)
            .chain(std::iter::once(rest.len()));
        for end in ends {
            if let Some(child) = object.get(&rest[..end])
                && present(child, &rest[end..])
            {
                return true;
            }
        }
        return false;
    }
    if let Some(rest) = path.strip_prefix('[') {
        let Some((selector, tail)) = split_selector(rest) else {
            return false;
        };
        let Some(items) = manifest.as_array() else {
            return false;
        };
        return items
            .iter()
            .enumerate()
            .filter(|(i, item)| selects(selector, *i, item))
            .any(|(_, item)| present(item, tail));
    }
    false
}

/// Splits `key="a",port=80]rest` into the selector and what follows its closing bracket (quotes respected).
fn split_selector(s: &str) -> Option<(&str, &str)> {
    let mut quoted = false;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ']' if !quoted => return Some((&s[..i], &s[i + 1..])),
            _ => {}
        }
    }
    None
}

/// Whether list element `item` (at `index`) matches a selector: `3` (index), `=value` (set member) or
/// `k=v,k2=v2` (keys of an associative list).
fn selects(selector: &str, index: usize, item: &Json) -> bool {
    if let Ok(n) = selector.parse::<usize>() {
        return n == index;
    }
    if let Some(value) = selector.strip_prefix('=') {
        return serde_json::from_str::<Json>(value).is_ok_and(|v| &v == item);
    }
    split_pairs(selector).into_iter().all(|pair| {
        let Some((key, value)) = pair.split_once('=') else {
            return false;
        };
        serde_json::from_str::<Json>(value).is_ok_and(|v| item.get(key) == Some(&v))
    })
}

/// Splits `a="x,y",b=1` on the commas outside quotes.
fn split_pairs(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut start, mut quoted, mut escaped) = (0, false, false);
    for (i, c) in s.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ',' if !quoted => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn manifest() -> Json {
        json!({
            "metadata": {"labels": {"app.kubernetes.io/name": "api", "team": "core"}},
            "spec": {
                "replicas": 3,
                "template": {"spec": {"containers": [
                    {"name": "api", "image": "a:1", "ports": [{"containerPort": 8080, "protocol": "TCP"}]}
                ]}},
                "finalizers": ["a", "b"]
            }
        })
    }

    #[test]
    fn paths_resolve_through_dotted_keys_and_keyed_lists() {
        let m = manifest();
        assert!(present(&m, ".spec.replicas"));
        assert!(present(&m, ".metadata.labels.app.kubernetes.io/name"));
        assert!(present(&m, ".metadata.labels.team"));
        assert!(!present(&m, ".metadata.labels.owner"));
        assert!(present(&m, ".spec.template.spec.containers[name=\"api\"].image"));
        assert!(!present(&m, ".spec.template.spec.containers[name=\"web\"].image"));
        assert!(!present(&m, ".spec.template.spec.containers[name=\"api\"].command"));
        assert!(present(
            &m,
            ".spec.template.spec.containers[name=\"api\"].ports[containerPort=8080,protocol=\"TCP\"]"
        ));
        assert!(present(&m, ".spec.finalizers[=\"b\"]"));
        assert!(present(&m, ".spec.finalizers[1]"));
        assert!(!present(&m, ".spec.finalizers[2]"));
        assert!(!present(&m, ".spec.strategy"));
    }

    fn conflict(field: &str) -> Conflict {
        Conflict {
            field: field.into(),
            manager: "kubectl-edit".into(),
        }
    }

    #[test]
    fn fields_applied_before_are_taken_back_others_are_foreign() {
        let m = manifest();
        let back = vec![conflict(".spec.replicas")];
        assert_eq!(judge(back.clone(), Some(&m)), Verdict::TakeBack(back.clone()));
        assert_eq!(judge(back.clone(), None), Verdict::Foreign(back));
        let mixed = vec![conflict(".spec.replicas"), conflict(".metadata.labels.owner")];
        assert_eq!(
            judge(mixed, Some(&m)),
            Verdict::Foreign(vec![conflict(".metadata.labels.owner")])
        );
    }

    #[test]
    fn conflicts_are_read_from_the_status_causes() {
        let status: kube::core::Status = serde_json::from_value(json!({
            "code": 409, "reason": "Conflict",
            "message": "Apply failed with 1 conflict: conflict with \"kubectl-edit\" using apps/v1: .spec.replicas",
            "details": {"causes": [{"reason": "FieldManagerConflict",
                "message": "conflict with \"kubectl-edit\" using apps/v1", "field": ".spec.replicas"}]}
        }))
        .unwrap();
        let err = k8s::Error::from(kube::Error::Api(Box::new(status)));
        assert_eq!(of(&err), vec![conflict(".spec.replicas")]);
        assert_eq!(describe(&of(&err)), ".spec.replicas (held by \"kubectl-edit\")");
    }
}
