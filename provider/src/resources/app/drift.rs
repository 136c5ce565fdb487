//! Drift on owned fields only: a live object is projected onto the shape of what hub applied, so fields
//! added by others (API defaults, foreign annotations, injected containers or env, HPA-owned replicas) never
//! show, while a changed or removed owned field does. Quantities compare by amount ("0.5" = "500m").

use serde_json::{Map, Value as Json};

use crate::k8s::quantity;

/// The `name` of a list entry, which keys lists of containers, env, ports and volumes.
fn name_of(entry: &Json) -> Option<&Json> {
    entry.get("name")
}

/// The part of `live` that corresponds to `desired`, in `desired`'s key order.
pub(crate) fn project(desired: &Json, live: &Json) -> Json {
    match (desired, live) {
        (Json::Object(d), Json::Object(l)) => {
            let mut out = Map::new();
            for (k, dv) in d {
                if let Some(lv) = l.get(k) {
                    out.insert(k.clone(), project(dv, lv));
                }
            }
            Json::Object(out)
        }
        (Json::Array(d), Json::Array(l)) if !d.is_empty() && d.iter().all(|e| e.get("name").is_some()) => {
            // Lists keyed by name (containers, env, ports, volumes): match by name, ignore foreign entries.
            // A name may repeat (two mounts of one volume): the n-th desired entry meets the n-th live one.
            let mut used = vec![false; l.len()];
            Json::Array(
                d.iter()
                    .filter_map(|de| {
                        let i = (0..l.len()).find(|&i| !used[i] && name_of(&l[i]) == name_of(de))?;
                        used[i] = true;
                        Some(project(de, &l[i]))
                    })
                    .collect(),
            )
        }
        (Json::Array(d), Json::Array(l)) if d.len() == l.len() => {
            Json::Array(d.iter().zip(l).map(|(de, le)| project(de, le)).collect())
        }
        (Json::String(d), Json::String(l)) if d != l && quantity::same(d, l) => desired.clone(),
        (Json::Number(d), Json::String(l)) if l == &d.to_string() => desired.clone(),
        _ => live.clone(),
    }
}

/// Whether `project(desired, live) == *desired` (no drift), found without building the projection: the
/// common case of a refresh.
pub(crate) fn unchanged(desired: &Json, live: &Json) -> bool {
    match (desired, live) {
        (Json::Object(d), Json::Object(l)) => d.iter().all(|(k, dv)| l.get(k).is_some_and(|lv| unchanged(dv, lv))),
        (Json::Array(d), Json::Array(l)) if !d.is_empty() && d.iter().all(|e| e.get("name").is_some()) => {
            let mut used = vec![false; l.len()];
            d.iter().all(|de| {
                let Some(i) = (0..l.len()).find(|&i| !used[i] && name_of(&l[i]) == name_of(de)) else {
                    return false;
                };
                used[i] = true;
                unchanged(de, &l[i])
            })
        }
        (Json::Array(d), Json::Array(l)) if d.len() == l.len() => d.iter().zip(l).all(|(de, le)| unchanged(de, le)),
        (Json::String(d), Json::String(l)) => d == l || quantity::same(d, l),
        (Json::Number(d), Json::String(l)) if l == &d.to_string() => true,
        _ => desired == live,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{project, unchanged};

    /// `unchanged` says what comparing the projection says, for every pair the tests below use.
    #[test]
    fn unchanged_agrees_with_the_projection() {
        let pairs = [
            (
                json!({"a": {"b": 1, "c": "0.5"}}),
                json!({"a": {"b": 1, "c": "500m", "d": 2}}),
            ),
            (json!({"a": {"b": 1}}), json!({"a": {}})),
            (
                json!({"a": [{"name": "x", "v": 1}, {"name": "y"}]}),
                json!({"a": [{"name": "y"}, {"name": "x", "v": 1}, {"name": "z"}]}),
            ),
            (
                json!({"a": [{"name": "x", "v": 1}]}),
                json!({"a": [{"name": "x", "v": 2}]}),
            ),
            (
                json!({"a": [{"name": "x"}, {"name": "x"}]}),
                json!({"a": [{"name": "x"}]}),
            ),
            (json!({"a": [1, 2]}), json!({"a": [1, 2, 3]})),
            (json!({"a": [1, 2]}), json!({"a": [1, 2]})),
            (json!({"a": 80}), json!({"a": "80"})),
            (json!({"a": 80}), json!({"a": "81"})),
            (json!({"a": "x"}), json!({"a": 1})),
            (json!({"a": []}), json!({"a": []})),
            (json!({"a": []}), json!({"a": [{"name": "x"}]})),
        ];
        for (desired, live) in pairs {
            assert_eq!(
                unchanged(&desired, &live),
                project(&desired, &live) == desired,
                "{desired} against {live}"
            );
        }
    }

    #[test]
    fn foreign_fields_and_defaults_are_ignored() {
        let desired = json!({"metadata": {"labels": {"a": "1"}}, "spec": {"containers": [{"name": "app", "image": "x:1",
            "resources": {"requests": {"cpu": "0.5"}}, "env": [{"name": "A", "value": "1"}]}]}});
        let live = json!({"metadata": {"labels": {"a": "1"}, "annotations": {"kubectl.kubernetes.io/restartedAt": "now"},
            "uid": "u"}, "spec": {"replicas": 7, "containers": [
                {"name": "sidecar", "image": "envoy"},
                {"name": "app", "image": "x:1", "imagePullPolicy": "IfNotPresent", "resources": {"requests": {"cpu": "500m"}},
                 "env": [{"name": "INJECTED", "value": "x"}, {"name": "A", "value": "1"}]}]}});
        assert_eq!(project(&desired, &live), desired);
    }

    #[test]
    fn repeated_names_meet_in_order() {
        let desired = json!({"volumeMounts": [{"name": "tmp", "mountPath": "/tmp"},
            {"name": "data", "mountPath": "/a", "subPath": "a"}, {"name": "data", "mountPath": "/b", "subPath": "b"}]});
        let live = json!({"volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}, {"name": "injected", "mountPath": "/x"},
            {"name": "data", "mountPath": "/a", "subPath": "a"}, {"name": "data", "mountPath": "/b", "subPath": "b"}]});
        assert_eq!(project(&desired, &live), desired);
        let changed = json!({"volumeMounts": [{"name": "tmp", "mountPath": "/tmp"},
            {"name": "data", "mountPath": "/a", "subPath": "a"}, {"name": "data", "mountPath": "/c", "subPath": "b"}]});
        assert_eq!(project(&desired, &changed), changed);
    }

    #[test]
    fn owned_changes_show() {
        let desired = json!({"spec": {"containers": [{"name": "app", "image": "x:1"}], "ports": [{"port": 80}]}});
        let live = json!({"spec": {"containers": [{"name": "app", "image": "x:2"}], "ports": [{"port": 81}]}});
        assert_eq!(project(&desired, &live), live);
        let removed = json!({"spec": {"containers": [{"name": "other", "image": "x:1"}]}});
        assert_eq!(project(&desired, &removed)["spec"]["containers"], json!([]));
    }
}
