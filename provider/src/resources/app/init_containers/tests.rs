//! Init containers and sidecars: rendering and checks (the version refusal: `version_support_tests.rs`).

use serde_json::json;

use super::super::tests::{app_with, get, render, validate};

fn with_init(containers: serde_json::Value) -> serde_json::Value {
    app_with(
        json!({"init_containers": containers, "volumes": {"data": {"empty_dir": {}}},
        "volume_mounts": [{"volume": "data", "mount_path": "/data"}]}),
    )
}

#[test]
fn init_containers_render_in_order_restricted_with_tmp() {
    let objs = render(with_init(json!([
        {"name": "migrate", "image": "tools:1", "command": ["sh", "-c"], "args": ["run"], "env": {"B": "2", "A": "1"},
         "volume_mounts": [{"volume": "data", "mount_path": "/seed", "read_only": true}]},
        {"name": "logs", "image": "fluent-bit:3", "sidecar": true, "security": {"run_as_user": 2000},
         "resources": {"cpu_request": "10m"}},
    ])));
    let pod = &get(&objs, "Deployment/api")["spec"]["template"]["spec"];
    let init = pod["initContainers"].as_array().expect("rendered");
    assert_eq!(init.len(), 2);
    assert_eq!(init[0]["name"], "migrate");
    assert_eq!(init[0]["command"], json!(["sh", "-c"]));
    assert_eq!(init[0]["args"], json!(["run"]));
    assert_eq!(
        init[0]["env"],
        json!([{"name": "A", "value": "1"}, {"name": "B", "value": "2"}])
    );
    assert_eq!(
        init[0]["volumeMounts"],
        json!([{"name": "tmp", "mountPath": "/tmp"}, {"name": "data", "mountPath": "/seed", "readOnly": true}])
    );
    assert!(init[0].get("restartPolicy").is_none());
    // The app container's security context, the same defaults.
    assert_eq!(init[0]["securityContext"], pod["containers"][0]["securityContext"]);
    assert_eq!(init[0]["resources"], pod["containers"][0]["resources"]);
    assert_eq!(init[1]["restartPolicy"], "Always");
    assert_eq!(init[1]["securityContext"]["runAsUser"], 2000);
    assert_eq!(init[1]["securityContext"]["runAsGroup"], 10001);
    assert_eq!(init[1]["securityContext"]["capabilities"], json!({"drop": ["ALL"]}));
    assert_eq!(
        init[1]["resources"]["requests"],
        json!({"cpu": "10m", "memory": "128Mi"})
    );
    assert!(init[1].get("command").is_none() && init[1].get("env").is_none());
    // No init containers: nothing rendered.
    let objs = render(app_with(json!({})));
    assert!(
        get(&objs, "Deployment/api")["spec"]["template"]["spec"]
            .get("initContainers")
            .is_none()
    );
}

#[test]
fn bad_init_containers_are_refused_with_their_paths() {
    let refused = validate(with_init(json!([
        {"name": "Bad_Name", "image": "x:1"},
        {"name": "api", "image": "x:1"},
        {"name": "w", "image": "not an image"},
        {"name": "w", "image": "x:1", "env": {"A=B": "1"}},
        {"name": "r", "image": "x:1", "resources": {"memory_limit": "64Mi"}},
        {"name": "v", "image": "x:1", "volume_mounts": [
            {"volume": "nope", "mount_path": "/n"},
            {"volume": "tmp", "mount_path": "relative"},
            {"volume": "data", "mount_path": "/tmp"},
            {"volume": "data", "mount_path": "/d", "sub_path": "../up"},
        ]},
    ])));
    assert_eq!(
        refused,
        [
            "init_containers[0].name: Invalid Container Name",
            "init_containers[1].name: Container Name Taken",
            "init_containers[2].image: Invalid Image",
            "init_containers[3].name: Duplicate Container Name",
            "init_containers[3].env[\"A=B\"]: Invalid Environment Variable",
            "init_containers[4].resources.memory_request: Request Above Limit",
            "init_containers[5].volume_mounts[0].volume: Unknown Volume",
            "init_containers[5].volume_mounts[1].mount_path: Invalid Mount Path",
            "init_containers[5].volume_mounts[2].mount_path: Duplicate Mount Path",
            "init_containers[5].volume_mounts[3].sub_path: Invalid Sub Path",
        ]
    );
}

#[test]
fn a_volume_only_an_init_container_mounts_is_mounted() {
    let config = app_with(json!({"volumes": {"seed": {"empty_dir": {}}},
        "init_containers": [{"name": "fill", "image": "x:1", "volume_mounts": [{"volume": "seed", "mount_path": "/seed"}]}]}));
    assert!(validate(config).is_empty());
}
