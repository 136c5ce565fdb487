//! Moves from the kubernetes provider's Deployment states: what the app reads back, and what is refused.

use serde_json::{Value as Json, json};

use super::super::AppResource;
use super::super::render;
use crate::diag::Diagnostics;
use crate::framework::{MoveSource, Resource};
use crate::value::Tf;

fn source(type_name: &str, address: &str, state: Json) -> MoveSource {
    MoveSource {
        provider_address: address.to_owned(),
        type_name: type_name.to_owned(),
        schema_version: 1,
        state,
    }
}

/// The kubernetes provider's state of a Deployment that hub renders exactly as it stands, the pod template's
/// checksum included (what the configuration in the migrating guide writes).
fn matching_state(checksum: &str) -> Json {
    let labels = json!({"app.kubernetes.io/name": "api", "app.kubernetes.io/instance": "api"});
    let security = json!({"run_as_non_root": true, "run_as_user": "10001", "run_as_group": "10001",
        "read_only_root_filesystem": true, "allow_privilege_escalation": false, "privileged": false,
        "capabilities": [{"drop": ["ALL"], "add": []}], "seccomp_profile": [{"type": "RuntimeDefault", "localhost_profile": ""}]});
    let container = json!({"name": "api", "image": "hub-workload:0.9", "image_pull_policy": "IfNotPresent",
        "port": [{"name": "http", "container_port": 8080, "protocol": "TCP", "host_port": 0}],
        "env": [{"name": "MODE", "value": "moved", "value_from": []}],
        "env_from": [{"config_map_ref": [{"name": "api-settings", "optional": false}], "prefix": "", "secret_ref": []}],
        "resources": [{"limits": {"memory": "256Mi"}, "requests": {"cpu": "100m", "memory": "128Mi"}}],
        "security_context": [security],
        "liveness_probe": [{"http_get": [{"path": "/health", "port": "http", "scheme": "HTTP"}],
            "timeout_seconds": 1, "period_seconds": 10, "failure_threshold": 3, "success_threshold": 1}],
        "readiness_probe": [{"http_get": [{"path": "/ready", "port": "http", "scheme": "HTTP"}]}],
        "startup_probe": [{"http_get": [{"path": "/startup", "port": "http", "scheme": "HTTP"}]}],
        "volume_mount": [{"name": "tmp", "mount_path": "/tmp", "read_only": false}],
        "termination_message_path": "/dev/termination-log"});
    let pod = json!({"service_account_name": "api", "automount_service_account_token": false,
        "termination_grace_period_seconds": 30, "dns_policy": "ClusterFirst", "restart_policy": "Always",
        "enable_service_links": true, "host_network": false,
        "security_context": [{"run_as_non_root": true, "run_as_user": "10001", "run_as_group": "10001",
            "fs_group": "10001", "seccomp_profile": [{"type": "RuntimeDefault"}]}],
        "topology_spread_constraint": [{"max_skew": 1, "topology_key": "topology.kubernetes.io/zone",
            "when_unsatisfiable": "ScheduleAnyway", "label_selector": [{"match_labels": labels}]}],
        "container": [container],
        "volume": [{"name": "tmp", "empty_dir": [{"medium": "", "size_limit": ""}]}]});
    let template =
        json!({"metadata": [{"labels": labels, "annotations": {"hub.io/config-checksum": checksum}}], "spec": [pod]});
    let spec = json!({"replicas": "2", "min_ready_seconds": 0, "paused": false, "progress_deadline_seconds": 600,
        "revision_history_limit": 10,
        "selector": [{"match_labels": labels, "match_expressions": []}],
        "strategy": [{"type": "RollingUpdate", "rolling_update": [{"max_surge": "25%", "max_unavailable": "0"}]}],
        "template": [template]});
    json!({
        "id": "apps/api",
        "metadata": [{"name": "api", "namespace": "apps", "labels": labels, "annotations": {}, "uid": "1", "generation": 1}],
        "spec": [spec],
        "wait_for_rollout": true,
    })
}

fn moved(source: &MoveSource) -> (Option<super::AppModel>, Diagnostics) {
    let mut diags = Diagnostics::new();
    let app = AppResource.move_state(source, &mut diags);
    (app, diags)
}

/// hub's checksum for the app in [`matching_state`], from a first move (the warning names hub's value).
fn hubs_checksum() -> String {
    let (app, diags) = moved(&source(
        "kubernetes_deployment_v1",
        "registry.terraform.io/hashicorp/kubernetes",
        matching_state("x"),
    ));
    let app = app.unwrap_or_else(|| panic!("moved: {diags:?}"));
    let deployment = render::objects(&app, &app, 0)
        .into_iter()
        .find(|o| o.key == "Deployment/api")
        .unwrap();
    deployment.manifest["spec"]["template"]["metadata"]["annotations"]["hub.io/config-checksum"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn a_matching_deployment_moves_under_both_registry_spellings_with_no_finding() {
    let checksum = hubs_checksum();
    for (type_name, address) in [
        ("kubernetes_deployment_v1", "registry.terraform.io/hashicorp/kubernetes"),
        ("kubernetes_deployment", "registry.opentofu.org/hashicorp/kubernetes"),
    ] {
        let (app, diags) = moved(&source(type_name, address, matching_state(&checksum)));
        assert!(diags.is_empty(), "{type_name}: {diags:?}");
        let app = app.unwrap();
        assert_eq!((app.namespace(), app.name()), ("apps", "api"));
        assert_eq!(app.id, Tf::Known("apps/api".into()));
        assert_eq!(app.image, Tf::Known("hub-workload:0.9".into()));
        assert_eq!(app.replicas, Tf::Known(2));
        assert!(
            app.rendered.is_null(),
            "the refresh reads the whole app, as after an import"
        );
        assert!(app.instance_id.is_null());
        assert!(
            app.env_from.is_set(),
            "the kubernetes provider's optional reference reads back as env_from"
        );
    }
}

/// A template without hub's checksum annotation certainly changes; a different checksum value is not judged
/// here (hub's also covers the app's ConfigMap, Secret and role, which the plan after the move reads).
#[test]
fn a_pod_template_hub_renders_differently_is_a_warning() {
    let moved_with = |state: Json| {
        moved(&source(
            "kubernetes_deployment_v1",
            "registry.terraform.io/hashicorp/kubernetes",
            state,
        ))
    };
    // Pods with hub's checksum take hub's pod defaults: a `/tmp` they lack is added, and the pods roll.
    let mut without_tmp = matching_state("stale");
    let pod = &mut without_tmp["spec"][0]["template"][0]["spec"][0];
    pod["volume"] = json!([]);
    pod["container"][0]["volume_mount"] = json!([]);
    let (app, diags) = moved_with(without_tmp);
    let text = format!("{diags:?}");
    assert!(app.is_some() && !diags.has_errors(), "{text}");
    assert!(text.contains("Pods Roll Once") && text.contains("volumes"), "{text}");
    let (app, diags) = moved_with(matching_state("stale"));
    assert!(app.is_some() && diags.is_empty(), "{diags:?}");
}

#[test]
fn pods_without_hubs_checksum_move_without_hubs_pod_defaults_and_do_not_roll() {
    let (app, diags) = moved(&source(
        "kubernetes_deployment_v1",
        "registry.terraform.io/hashicorp/kubernetes",
        matching_state(""),
    ));
    assert!(diags.is_empty(), "{diags:?}");
    let app = app.expect("moved");
    assert_eq!(app.pod_defaults.as_deref(), Some("none"));
    assert_eq!(app.container_name, Tf::Null);
}

#[test]
fn settings_hub_cannot_express_refuse_the_move_by_name() {
    let mut state = matching_state(&hubs_checksum());
    state["spec"][0]["template"][0]["spec"][0]["host_network"] = json!(true);
    state["spec"][0]["template"][0]["spec"][0]["container"][0]["image_pull_policy"] = json!("Never");
    let (app, diags) = moved(&source(
        "kubernetes_deployment_v1",
        "registry.terraform.io/hashicorp/kubernetes",
        state,
    ));
    assert!(app.is_none());
    let text = format!("{diags:?}");
    assert!(text.contains("spec.template.spec.hostNetwork = true"), "{text}");
    assert!(text.contains("containers[api].imagePullPolicy = "), "{text}");
}

#[test]
fn another_selector_is_kept_as_the_pod_selector() {
    let mut state = matching_state(&hubs_checksum());
    let theirs = json!({"app": "api"});
    state["spec"][0]["selector"][0]["match_labels"] = theirs.clone();
    state["spec"][0]["template"][0]["metadata"][0]["labels"] = theirs.clone();
    state["spec"][0]["template"][0]["spec"][0]["topology_spread_constraint"][0]["label_selector"][0]["match_labels"] =
        theirs.clone();
    let (app, diags) = moved(&source(
        "kubernetes_deployment_v1",
        "registry.terraform.io/hashicorp/kubernetes",
        state,
    ));
    let app = app.unwrap_or_else(|| panic!("moved: {diags:?}"));
    assert_eq!(
        crate::resources::app::model::known(&app.pod_selector),
        std::collections::BTreeMap::from([("app".to_owned(), "api".to_owned())])
    );
    assert!(!format!("{diags:?}").contains("Selector"), "{diags:?}");
}

#[test]
fn unsupported_sources_are_refused_listing_the_supported_ones() {
    for (type_name, address) in [
        ("kubernetes_service_v1", "registry.terraform.io/hashicorp/kubernetes"),
        ("kubernetes_deployment_v1", "registry.terraform.io/acme/kubernetes"),
    ] {
        let (app, diags) = moved(&source(type_name, address, json!({})));
        assert!(app.is_none());
        let text = format!("{diags:?}");
        assert!(text.contains("Unsupported Move Source"), "{text}");
        for supported in [
            "kubernetes_deployment_v1",
            "kubernetes_deployment`",
            "kubernetes_manifest",
        ] {
            assert!(text.contains(supported), "{supported} is listed: {text}");
        }
    }
}

#[test]
fn a_kubernetes_manifest_deployment_moves_and_any_other_kind_is_named() {
    let object = json!({"apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "api", "namespace": "apps", "uid": "u", "annotations": null},
        "spec": {"replicas": 1, "selector": {"matchLabels": render::selector_of("api")},
            "template": {"metadata": {"labels": render::selector_of("api")},
                "spec": {"containers": [{"name": "api", "image": "hub-workload:0.9", "args": null}]}}}});
    // `object` as the provider stores it: every field of the type, unset ones null.
    let mut padded = object.clone();
    padded["spec"]["template"]["spec"]["containers"][0]["env"] =
        json!([{"name": "MODE", "value": "x", "valueFrom": {"secretKeyRef": {"name": null, "key": null}}}]);
    padded["spec"]["template"]["spec"]["volumes"] = json!([{"name": "tmp", "emptyDir": {}, "nfs": {"path": null}}]);
    let state = json!({"manifest": {"value": object, "type": ["object", {}]}, "object": {"value": padded, "type": ["object", {}]}});
    let (app, diags) = moved(&source(
        "kubernetes_manifest",
        "registry.opentofu.org/hashicorp/kubernetes",
        state,
    ));
    assert!(!diags.has_errors(), "{diags:?}");
    let app = app.unwrap();
    assert_eq!(app.replicas, Tf::Known(1));
    assert!(
        app.env_from_secret.is_null(),
        "the manifest is read, not the padded object"
    );
    assert_eq!(
        super::without_nulls(padded).unwrap()["spec"]["template"]["spec"]["volumes"],
        json!([{"name": "tmp", "emptyDir": {}}]),
        "a struct of nulls is unset, an empty one is not"
    );
    let service = json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "api"}});
    let (app, diags) = moved(&source(
        "kubernetes_manifest",
        "registry.opentofu.org/hashicorp/kubernetes",
        json!({"object": {"value": service, "type": "x"}}),
    ));
    assert!(app.is_none());
    assert!(format!("{diags:?}").contains("a v1 Service, not an apps/v1 Deployment"));
}

#[test]
fn a_state_that_is_not_a_deployment_is_named() {
    let (app, diags) = moved(&source(
        "kubernetes_deployment_v1",
        "registry.terraform.io/hashicorp/kubernetes",
        json!({"metadata": []}),
    ));
    assert!(app.is_none());
    assert!(format!("{diags:?}").contains("no `metadata` block"));
}
