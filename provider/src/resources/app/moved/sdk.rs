//! The kubernetes provider's typed Deployment state (`kubernetes_deployment_v1`, and `kubernetes_deployment`
//! with the same shape) back to the Deployment object it applied: the inverse of that provider's
//! flatteners. Blocks are lists of one object unless Kubernetes has a list there; names are snake_case,
//! some in the singular (`container`, `port`, `volume_mount`); several numbers are stored as strings
//! (`replicas`, `run_as_user`, `default_mode` in octal); unset fields are stored empty.

use serde_json::{Map, Value as Json, json};

/// Blocks that are lists in Kubernetes too, with the Kubernetes name where it is not just camelCase.
const LISTS: &[(&str, &str)] = &[
    ("container", "containers"),
    ("init_container", "initContainers"),
    ("ephemeral_container", "ephemeralContainers"),
    ("readiness_gate", "readinessGates"),
    ("option", "options"),
    ("sysctl", "sysctls"),
    ("toleration", "tolerations"),
    ("topology_spread_constraint", "topologySpreadConstraints"),
    ("volume", "volumes"),
    ("port", "ports"),
    ("volume_mount", "volumeMounts"),
    ("volume_device", "volumeDevices"),
    ("http_header", "httpHeaders"),
    ("node_selector_term", "nodeSelectorTerms"),
    ("host_aliases", "hostAliases"),
    ("image_pull_secrets", "imagePullSecrets"),
    ("env", "env"),
    ("env_from", "envFrom"),
    ("items", "items"),
    ("sources", "sources"),
    ("match_expressions", "matchExpressions"),
    ("match_fields", "matchFields"),
    (
        "preferred_during_scheduling_ignored_during_execution",
        "preferredDuringSchedulingIgnoredDuringExecution",
    ),
    (
        "required_during_scheduling_ignored_during_execution",
        "requiredDuringSchedulingIgnoredDuringExecution",
    ),
];

/// Integers the provider stores as strings.
const INTEGER_STRINGS: &[&str] = &[
    "replicas",
    "run_as_user",
    "run_as_group",
    "fs_group",
    "toleration_seconds",
];

/// Bookkeeping the provider records that is no part of the object's configuration.
const BOOKKEEPING: &[&str] = &["uid", "resource_version", "generation", "self_link"];

/// The Deployment a `kubernetes_deployment_v1` state describes; `Err` names what is missing.
pub(super) fn deployment(state: &Json) -> Result<Json, String> {
    let first = |key: &str| state.get(key).and_then(Json::as_array).and_then(|l| l.first());
    let metadata = first("metadata").ok_or("it has no `metadata` block")?;
    let spec = first("spec").ok_or("it has no `spec` block")?;
    Ok(json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": convert("metadata", metadata),
        "spec": convert("spec", spec),
    }))
}

fn camel(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether a converted value says nothing (the provider stores unset fields this way).
fn empty(v: &Json) -> bool {
    match v {
        Json::Null => true,
        Json::String(s) => s.is_empty(),
        Json::Array(a) => a.is_empty(),
        Json::Object(o) => o.is_empty(),
        _ => false,
    }
}

/// An int-or-string field: a number when it is one.
fn int_or_string(v: &Json) -> Json {
    match v.as_str().map(str::parse::<i64>) {
        Some(Ok(n)) => json!(n),
        _ => v.clone(),
    }
}

/// One field's value, named `key` in the provider's schema, under the block `parent`.
fn field(parent: &str, key: &str, v: &Json) -> Json {
    match v {
        Json::Array(items) if items.iter().all(Json::is_object) && !items.is_empty() => {
            let list = LISTS.iter().any(|(k, _)| *k == key)
                // Node affinity's required terms are one selector; pod (anti-)affinity's are a list.
                && !(key == "required_during_scheduling_ignored_during_execution" && parent == "node_affinity");
            if list {
                Json::Array(items.iter().map(|i| convert(key, i)).collect())
            } else {
                convert(key, &items[0])
            }
        }
        Json::Object(_) => convert(key, v),
        Json::String(s) if INTEGER_STRINGS.contains(&key) => s.parse::<i64>().map_or_else(|_| v.clone(), |n| json!(n)),
        // `0644`: file modes are stored as octal strings.
        Json::String(s) if key == "default_mode" || key == "mode" => {
            i64::from_str_radix(s.trim_start_matches("0o"), 8).map_or_else(|_| v.clone(), |n| json!(n))
        }
        Json::String(_) if key == "max_surge" || key == "max_unavailable" => int_or_string(v),
        Json::String(_) if key == "port" && matches!(parent, "http_get" | "tcp_socket") => int_or_string(v),
        _ => v.clone(),
    }
}

/// A block of the provider's schema (`name`) as the Kubernetes object it stands for.
fn convert(name: &str, block: &Json) -> Json {
    let Some(fields) = block.as_object() else {
        return block.clone();
    };
    let mut out = Map::new();
    for (key, v) in fields {
        if name == "metadata" && BOOKKEEPING.contains(&key.as_str()) {
            continue;
        }
        // No host port is stored as 0.
        if key == "host_port" && v.as_i64() == Some(0) {
            continue;
        }
        let value = field(name, key, v);
        // An empty `empty_dir` is the volume source itself; any other empty value is an unset field.
        if empty(&value) && key != "empty_dir" {
            continue;
        }
        let k8s_name = LISTS
            .iter()
            .find(|(k, _)| k == key)
            .filter(|_| value.is_array())
            .map_or_else(|| camel(key), |(_, n)| (*n).to_owned());
        out.insert(k8s_name, value);
    }
    Json::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lists_and_stored_strings_come_back_as_kubernetes_has_them() {
        let state = json!({
            "id": "apps/api",
            "metadata": [{"name": "api", "namespace": "apps", "uid": "u", "resource_version": "7", "generation": 2,
                "labels": {"app": "api"}, "annotations": {}, "generate_name": ""}],
            "spec": [{"replicas": "3", "min_ready_seconds": 0,
                "selector": [{"match_labels": {"app": "api"}, "match_expressions": []}],
                "strategy": [{"type": "RollingUpdate", "rolling_update": [{"max_surge": "25%", "max_unavailable": "0"}]}],
                "template": [{"metadata": [{"labels": {"app": "api"}, "name": "", "generation": 0}],
                    "spec": [{"service_account_name": "api", "security_context": [{"run_as_user": "10001", "fs_group": "10001"}],
                        "container": [{"name": "api", "image": "hub-workload:0.9", "command": [],
                            "port": [{"name": "http", "container_port": 8080, "protocol": "TCP", "host_port": 0, "host_ip": ""}],
                            "readiness_probe": [{"http_get": [{"path": "/ready", "port": "http", "scheme": "HTTP", "http_header": []}]}],
                            "liveness_probe": [{"tcp_socket": [{"port": "8080"}]}],
                            "env_from": [{"config_map_ref": [{"name": "api-config", "optional": false}]}],
                            "volume_mount": [{"name": "tmp", "mount_path": "/tmp", "read_only": false}]}],
                        "volume": [{"name": "tmp", "empty_dir": [{"medium": "", "size_limit": ""}]},
                                   {"name": "config", "config_map": [{"name": "api-config", "default_mode": "0644"}]}],
                        "affinity": [{"node_affinity": [{"required_during_scheduling_ignored_during_execution":
                            [{"node_selector_term": [{"match_expressions": [{"key": "k", "operator": "Exists", "values": []}]}]}]}]}]}]}]}],
            "wait_for_rollout": true,
        });
        let d = deployment(&state).unwrap();
        assert_eq!(
            d["metadata"],
            json!({"name": "api", "namespace": "apps", "labels": {"app": "api"}})
        );
        assert_eq!(d["spec"]["replicas"], json!(3));
        assert_eq!(d["spec"]["selector"], json!({"matchLabels": {"app": "api"}}));
        assert_eq!(
            d["spec"]["strategy"]["rollingUpdate"],
            json!({"maxSurge": "25%", "maxUnavailable": 0})
        );
        assert_eq!(d["spec"]["template"]["metadata"], json!({"labels": {"app": "api"}}));
        let pod = &d["spec"]["template"]["spec"];
        assert_eq!(pod["securityContext"], json!({"runAsUser": 10001, "fsGroup": 10001}));
        let c = &pod["containers"][0];
        assert_eq!(
            c["ports"],
            json!([{"name": "http", "containerPort": 8080, "protocol": "TCP"}])
        );
        assert_eq!(
            c["readinessProbe"]["httpGet"],
            json!({"path": "/ready", "port": "http", "scheme": "HTTP"})
        );
        assert_eq!(c["livenessProbe"]["tcpSocket"]["port"], json!(8080));
        assert_eq!(
            c["envFrom"],
            json!([{"configMapRef": {"name": "api-config", "optional": false}}])
        );
        assert_eq!(
            c["volumeMounts"],
            json!([{"name": "tmp", "mountPath": "/tmp", "readOnly": false}])
        );
        assert!(c.get("command").is_none(), "an empty list is an unset field");
        assert_eq!(pod["volumes"][0], json!({"name": "tmp", "emptyDir": {}}));
        assert_eq!(pod["volumes"][1]["configMap"]["defaultMode"], json!(0o644));
        assert_eq!(
            pod["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"][0]["matchExpressions"],
            json!([{"key": "k", "operator": "Exists"}])
        );
    }

    #[test]
    fn a_state_without_its_blocks_is_named() {
        assert!(deployment(&json!({"metadata": []})).unwrap_err().contains("metadata"));
        assert!(
            deployment(&json!({"metadata": [{"name": "a"}]}))
                .unwrap_err()
                .contains("spec")
        );
    }
}
