//! Drift on owned fields only: a live object is projected onto the shape of what hub applied, so fields
//! added by others (API defaults, foreign annotations, injected containers or env, HPA-owned replicas) never
//! show, while a changed or removed owned field does. Quantities compare by amount ("0.5" = "500m").

use serde_json::{Map, Value as Json};

use crate::k8s::quantity;

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
            let named = |e: &Json| e.get("name").cloned();
            let mut used = vec![false; l.len()];
            Json::Array(
                d.iter()
                    .filter_map(|de| {
                        let i = (0..l.len()).find(|&i| !used[i] && named(&l[i]) == named(de))?;
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

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::project;

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
