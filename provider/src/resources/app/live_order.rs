//! Server-side apply puts the entries of a list keyed by name (env, ports, volumes) in the order the
//! applier sends, and a pod template whose lists only change order is a new ReplicaSet: the pods roll.
//! hub renders those lists sorted (they come from maps, which have no order), so an app adopted without
//! hub's pod defaults is applied with them in the order its running template has.
//!
//! Only lists whose order the configuration cannot say are aligned: `env` (from maps), `ports` (from a
//! map) and `volumes` (a map). Init containers, mounts and `envFrom` follow the configuration's order.

use serde_json::Value as Json;

/// `deployment` (as hub renders it) with its env, ports and volumes in `live`'s order; entries `live`
/// lacks keep their order after those it has.
pub(super) fn aligned(deployment: &Json, live: &Json) -> Json {
    let mut out = deployment.clone();
    let (Some(pod), Some(running)) = (
        out.pointer_mut("/spec/template/spec"),
        live.pointer("/spec/template/spec"),
    ) else {
        return out;
    };
    reorder(pod.get_mut("volumes"), running.get("volumes"), &["name"]);
    for field in ["containers", "initContainers"] {
        let theirs = running.get(field).and_then(Json::as_array);
        for c in pod.get_mut(field).and_then(Json::as_array_mut).into_iter().flatten() {
            let live_c = theirs
                .into_iter()
                .flatten()
                .find(|l| l.get("name").is_some() && l.get("name") == c.get("name"));
            reorder(c.get_mut("env"), live_c.and_then(|l| l.get("env")), &["name"]);
            reorder(
                c.get_mut("ports"),
                live_c.and_then(|l| l.get("ports")),
                &["containerPort", "protocol"],
            );
        }
    }
    out
}

/// The entry's key: its values of `fields` (`protocol` defaults to TCP, as the API server fills it in).
fn key(entry: &Json, fields: &[&str]) -> Vec<Json> {
    fields
        .iter()
        .map(|f| match (entry.get(*f), *f) {
            (None, "protocol") => Json::from("TCP"),
            (v, _) => v.cloned().unwrap_or(Json::Null),
        })
        .collect()
}

/// Sorts `list` by where each entry's key stands in `live` (absent ones last, in their order).
fn reorder(list: Option<&mut Json>, live: Option<&Json>, fields: &[&str]) {
    let (Some(Json::Array(entries)), Some(Json::Array(running))) = (list, live) else {
        return;
    };
    let order: Vec<Vec<Json>> = running.iter().map(|e| key(e, fields)).collect();
    // A stable sort: entries the live list lacks keep their relative order.
    entries.sort_by_key(|e| {
        let k = key(e, fields);
        order.iter().position(|o| *o == k).unwrap_or(usize::MAX)
    });
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::aligned;

    #[test]
    fn env_ports_and_volumes_follow_the_running_order() {
        let rendered = json!({"spec": {"template": {"spec": {
            "volumes": [{"name": "a"}, {"name": "new"}, {"name": "z"}],
            "containers": [{"name": "web",
                "env": [{"name": "ALPHA", "value": "1"}, {"name": "NEW", "value": "n"}, {"name": "ZED", "value": "2"}],
                "ports": [{"name": "a", "containerPort": 80, "protocol": "TCP"}, {"name": "b", "containerPort": 90, "protocol": "TCP"}],
                "volumeMounts": [{"name": "z", "mountPath": "/z"}, {"name": "a", "mountPath": "/a"}]}]}}}});
        let live = json!({"spec": {"template": {"spec": {
            "volumes": [{"name": "z"}, {"name": "a"}],
            "containers": [{"name": "web",
                "env": [{"name": "ZED", "value": "2"}, {"name": "ALPHA", "value": "1"}],
                "ports": [{"containerPort": 90}, {"containerPort": 80}],
                "volumeMounts": [{"name": "a", "mountPath": "/a"}, {"name": "z", "mountPath": "/z"}]}]}}}});
        let out = aligned(&rendered, &live);
        let pod = &out["spec"]["template"]["spec"];
        let names = |list: &serde_json::Value, key: &str| -> Vec<serde_json::Value> {
            list.as_array().into_iter().flatten().map(|e| e[key].clone()).collect()
        };
        assert_eq!(names(&pod["volumes"], "name"), [json!("z"), json!("a"), json!("new")]);
        let c = &pod["containers"][0];
        assert_eq!(names(&c["env"], "name"), [json!("ZED"), json!("ALPHA"), json!("NEW")]);
        assert_eq!(names(&c["ports"], "containerPort"), [json!(90), json!(80)]);
        // Mounts follow the configuration's order, whatever runs.
        assert_eq!(
            c["volumeMounts"],
            rendered["spec"]["template"]["spec"]["containers"][0]["volumeMounts"]
        );
        assert_eq!(
            c["env"][1],
            json!({"name": "ALPHA", "value": "1"}),
            "entries move whole"
        );
    }
}
