use serde_json::{Value as Json, json};

use super::super::tests::{app_with, get, planned, render, validate};
use crate::value::Tf;

fn template(config: Json) -> Json {
    get(&render(config), "Deployment/api")["spec"]["template"].clone()
}

#[test]
fn without_hub_defaults_the_pods_get_only_what_is_set() {
    let t = template(app_with(json!({"pod_defaults": "none", "port": 5000})));
    assert_eq!(
        t["metadata"],
        json!({"labels": {"app.kubernetes.io/name": "api", "app.kubernetes.io/instance": "api"}})
    );
    let pod = &t["spec"];
    assert_eq!(
        pod,
        &json!({
            "serviceAccountName": "api",
            "terminationGracePeriodSeconds": 30,
            "containers": [{"name": "api", "image": "x:1",
                "ports": [{"name": "http", "containerPort": 5000, "protocol": "TCP"}], "resources": {}}],
        })
    );
}

#[test]
fn without_hub_defaults_only_the_set_fields_render() {
    let t = template(app_with(json!({
        "pod_defaults": "none",
        "container_name": "web",
        "labels": {"team": "a"},
        "pod_labels": {"version": "1"},
        "security": {"run_as_user": 1000, "capabilities_drop": ["ALL"]},
        "pod_security": {"run_as_non_root": true, "fs_group": 2000},
        "resources": {"cpu_request": "50m"},
        "liveness": {},
        "secret_env": {"TOKEN": "s3cret"},
        "config": {"MODE": "x"},
        "env_from": [{"config_map": "api-config"}, {"secret": "shared", "optional": true}],
    })));
    assert_eq!(t["metadata"]["labels"]["version"], "1");
    assert!(
        t["metadata"]["labels"].get("team").is_none(),
        "labels stay off the pods"
    );
    assert!(t["metadata"].get("annotations").is_none(), "no checksum");
    let pod = &t["spec"];
    assert_eq!(pod["securityContext"], json!({"runAsNonRoot": true, "fsGroup": 2000}));
    assert!(pod.get("automountServiceAccountToken").is_none());
    let c = &pod["containers"][0];
    assert_eq!(c["name"], "web");
    assert_eq!(
        c["securityContext"],
        json!({"runAsUser": 1000, "capabilities": {"drop": ["ALL"]}})
    );
    assert_eq!(c["resources"], json!({"requests": {"cpu": "50m"}}));
    assert_eq!(
        c["livenessProbe"],
        json!({"httpGet": {"path": "/health", "port": "http"}})
    );
    assert!(c.get("readinessProbe").is_none() && c.get("startupProbe").is_none());
    assert!(c.get("env").is_none(), "no HUB_SECRET_KEYS: {c}");
    // The app's own ConfigMap and Secret only where env_from lists them; `optional` only where it is set.
    assert_eq!(
        c["envFrom"],
        json!([{"configMapRef": {"name": "api-config"}}, {"secretRef": {"name": "shared", "optional": true}}])
    );
}

#[test]
fn without_hub_defaults_no_schema_default_is_planned_for_the_pods() {
    let app = planned(app_with(
        json!({"pod_defaults": "none", "security": {"run_as_user": 5}}),
    ));
    let s = app.security.get().expect("set");
    assert_eq!(s.run_as_user, Tf::Known(5));
    assert_eq!(s.run_as_group, Tf::Null);
    assert_eq!(s.automount_service_account_token, Tf::Null);
    assert_eq!(app.resources, Tf::Null);
    assert_eq!(app.zone_spread, Tf::Null);
    // Fields that never reach the pod template keep their defaults.
    assert_eq!(app.replicas, Tf::Known(2));
    let hub = planned(app_with(json!({})));
    assert_eq!(hub.zone_spread.as_deref(), Some("topology"));
    assert_eq!(hub.security.get().and_then(|s| s.run_as_group.value()), Some(10001));
}

#[test]
fn an_unknown_mode_leaves_the_defaults_unknown() {
    let config = super::super::tests::model_of(crate::value::Value::object([
        ("name", crate::value::Value::string("api")),
        ("pod_defaults", crate::value::Value::unknown()),
    ]));
    let mut app = planned(app_with(json!({})));
    app.pod_defaults = Tf::Unknown;
    super::plan(&mut app, &config);
    assert!(app.security.is_unknown() && app.resources.is_unknown() && app.zone_spread.is_unknown());
}

#[test]
fn hub_defaults_take_the_new_security_settings_and_a_written_pod_context() {
    let t = template(app_with(json!({
        "security": {"run_as_non_root": false, "capabilities_drop": ["NET_RAW"], "seccomp_profile": "Unconfined"},
        "pod_security": {"run_as_user": 7},
        "pod_labels": {"tier": "web"},
        "labels": {"team": "a"},
    })));
    let c = &t["spec"]["containers"][0];
    assert_eq!(c["securityContext"]["runAsNonRoot"], false);
    assert_eq!(c["securityContext"]["capabilities"], json!({"drop": ["NET_RAW"]}));
    assert_eq!(c["securityContext"]["seccompProfile"], json!({"type": "Unconfined"}));
    assert_eq!(c["securityContext"]["readOnlyRootFilesystem"], true);
    assert_eq!(t["spec"]["securityContext"], json!({"runAsUser": 7}));
    assert_eq!(t["metadata"]["labels"]["tier"], "web");
    assert_eq!(t["metadata"]["labels"]["team"], "a");
    assert!(t["metadata"]["annotations"].get("hub.io/config-checksum").is_some());
}

#[test]
fn init_containers_without_hub_defaults_have_only_their_own_settings() {
    let pod = template(app_with(json!({
        "pod_defaults": "none",
        "security": {"run_as_non_root": true, "run_as_user": 1000},
        "init_containers": [
            {"name": "wait", "image": "busybox:1"},
            {"name": "root", "image": "busybox:1", "security": {"run_as_user": 0}},
        ],
    })))["spec"]
        .clone();
    let init = &pod["initContainers"];
    assert!(init[0].get("securityContext").is_none(), "{init}");
    assert_eq!(init[1]["securityContext"], json!({"runAsUser": 0}));
    assert!(init[0].get("volumeMounts").is_none());
    assert_eq!(init[0]["resources"], json!({}));
}

#[test]
fn tmp_is_the_users_without_hub_defaults() {
    let tmp =
        json!({"volumes": {"tmp": {"empty_dir": {}}}, "volume_mounts": [{"volume": "tmp", "mount_path": "/tmp"}]});
    let mut bare = tmp.clone();
    bare["pod_defaults"] = json!("none");
    assert_eq!(validate(app_with(bare)), Vec::<String>::new());
    assert_eq!(
        validate(app_with(tmp)),
        [
            "volumes[\"tmp\"]: Volume Name Set By hub",
            "volume_mounts[0].mount_path: Duplicate Mount Path"
        ]
    );
}

#[test]
fn pod_labels_are_refused_where_they_would_be_set_twice() {
    let refused = |extra: Json| validate(app_with(extra));
    assert_eq!(
        refused(json!({"pod_labels": {"app.kubernetes.io/instance": "x"}})),
        ["pod_labels[\"app.kubernetes.io/instance\"]: Label Set Twice"]
    );
    assert_eq!(
        refused(json!({"pod_labels": {"app.kubernetes.io/managed-by": "x"}})),
        ["pod_labels[\"app.kubernetes.io/managed-by\"]: Label Set Twice"]
    );
    assert_eq!(
        refused(json!({"labels": {"team": "a"}, "pod_labels": {"team": "b"}})),
        ["pod_labels[\"team\"]: Label Set Twice"]
    );
    // Without hub's defaults `labels` are not on the pods; a custom selector frees hub's keys.
    assert!(refused(json!({"pod_defaults": "none", "labels": {"team": "a"}, "pod_labels": {"team": "a"}})).is_empty());
    assert!(
        refused(json!({"pod_selector": {"app": "api"}, "pod_labels": {"app.kubernetes.io/name": "api"}})).is_empty()
    );
}

#[test]
fn a_config_change_without_hubs_checksum_says_the_pods_keep_the_old_one() {
    let warned = |prior: Json, next: Json| {
        let mut diags = crate::diag::Diagnostics::new();
        super::warn_unrolled(Some(&planned(app_with(prior))), &planned(app_with(next)), &mut diags);
        diags
            .iter()
            .map(|d| format!("{}: {}", d.summary, d.detail))
            .collect::<Vec<_>>()
    };
    let bare = |config: Json| json!({"pod_defaults": "none", "config": config});
    let said = warned(bare(json!({"A": "1"})), bare(json!({"A": "2"})));
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(said[0].starts_with("Running Pods Keep Their Configuration") && said[0].contains("changes config,"));
    assert!(
        said[0].contains("kubectl rollout restart deployment/api -n prod"),
        "{said:?}"
    );
    assert!(warned(bare(json!({"A": "1"})), bare(json!({"A": "1"}))).is_empty());
    // hub's checksum rolls them.
    assert!(warned(json!({"config": {"A": "1"}}), json!({"config": {"A": "2"}})).is_empty());
}

#[test]
fn the_service_account_sets_a_token_default_only_where_the_configuration_or_hub_does() {
    let account = |extra: Json| get(&render(app_with(extra)), "ServiceAccount/api");
    assert_eq!(account(json!({}))["automountServiceAccountToken"], false);
    assert!(
        account(json!({"pod_defaults": "none"}))
            .get("automountServiceAccountToken")
            .is_none()
    );
    let set = account(json!({"pod_defaults": "none", "security": {"automount_service_account_token": true}}));
    assert_eq!(set["automountServiceAccountToken"], true);
}

/// A chart's Deployment as `helm create` renders it and the API server stores it (labels and a restart
/// mark on the pods, an init container without a security context, a Secret the chart does not make),
/// and that Secret.
fn chart() -> Vec<(String, Json)> {
    let labels = json!({"app.kubernetes.io/name": "api", "app.kubernetes.io/instance": "rel",
        "app.kubernetes.io/managed-by": "Helm", "helm.sh/chart": "api-0.1.0", "app.kubernetes.io/version": "1.0"});
    let deployment = json!({"apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "api", "namespace": "prod", "labels": labels},
        "spec": {"replicas": 1,
            "selector": {"matchLabels": {"app.kubernetes.io/name": "api", "app.kubernetes.io/instance": "rel"}},
            "template": {
                "metadata": {"labels": labels, "annotations": {"kubectl.kubernetes.io/restartedAt": "2026-12-01T10:00:00Z"}},
                "spec": {"serviceAccountName": "api", "terminationGracePeriodSeconds": 30,
                    "securityContext": {"fsGroup": 2000},
                    "initContainers": [{"name": "wait", "image": "busybox:1", "resources": {}}],
                    "containers": [{"name": "web", "image": "nginx:1.27",
                        "securityContext": {"capabilities": {"drop": ["ALL"]}, "readOnlyRootFilesystem": true, "runAsNonRoot": true, "runAsUser": 1000},
                        "ports": [{"name": "http", "containerPort": 80, "protocol": "TCP"}],
                        "envFrom": [{"secretRef": {"name": "creds"}}],
                        "livenessProbe": {"httpGet": {"path": "/", "port": "http"}},
                        "resources": {},
                        "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}]}],
                    "volumes": [{"name": "tmp", "emptyDir": {}}]}}}});
    let secret = json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "creds", "namespace": "prod",
        "labels": {"app.kubernetes.io/instance": "api"}}, "data": {"TOKEN": "c2VjcmV0"}});
    vec![("Deployment".into(), deployment), ("Secret".into(), secret)]
}

#[test]
fn a_charts_pod_template_is_read_back_as_it_is() {
    use super::super::reverse::{Live, reverse};
    let objects = chart();
    let template = objects[0].1["spec"]["template"].clone();
    let app = reverse(&Live::new("api", "prod", objects));
    assert_eq!(app.pod_defaults.as_deref(), Some("none"));
    assert_eq!(app.container_name.as_deref(), Some("web"));
    // The Secret the chart does not make stays outside: read through env_from, never recorded (so never
    // deleted), its values nowhere.
    assert_eq!(app.secret_name, Tf::Null);
    let rendered = app.rendered.get().expect("rendered");
    assert!(!rendered.keys().any(|k| k.starts_with("Secret/")), "{rendered:?}");
    assert!(!format!("{app:?}").contains("c2VjcmV0"));
    // What hub renders from it is the template as it runs.
    let objects = super::super::render::objects(&app, &app, 1);
    let deployment = objects
        .iter()
        .find(|o| o.key == "Deployment/api")
        .expect("a Deployment");
    assert_eq!(deployment.manifest["spec"]["template"], template);
}

#[test]
fn checks_of_what_hub_defaults_take_wait_while_the_mode_is_unknown() {
    let mut app = super::super::tests::model(app_with(json!({
        "volumes": {"tmp": {"empty_dir": {}}},
        "volume_mounts": [{"volume": "tmp", "mount_path": "/tmp"}],
        "labels": {"team": "a"},
        "pod_labels": {"team": "a"},
    })));
    let errors = |app: &super::super::model::AppModel| {
        let mut diags = crate::diag::Diagnostics::new();
        super::super::check_configuration(app, &mut diags);
        diags
            .iter()
            .filter(|d| d.severity == crate::diag::Severity::Error)
            .count()
    };
    assert_eq!(errors(&app), 3, "refused with hub's defaults");
    app.pod_defaults = Tf::Unknown;
    assert_eq!(errors(&app), 0);
}

#[test]
fn an_own_config_map_nothing_reads_is_a_warning_without_hub_defaults() {
    let said = |extra: Json| validate(app_with(extra));
    let bare = |extra: Json| {
        let mut c = json!({"pod_defaults": "none", "config": {"A": "1"}, "secret_env": {"T": "x"}});
        if let (Some(o), Some(e)) = (c.as_object_mut(), extra.as_object()) {
            o.extend(e.clone());
        }
        c
    };
    assert_eq!(
        said(bare(json!({}))),
        ["config: Pods Do Not Read It", "secret_env: Pods Do Not Read It"]
    );
    let read = json!({"env_from": [{"config_map": "api-config"}, {"secret": "api-secret"}]});
    assert!(said(bare(read)).is_empty());
    assert!(
        said(bare(
            json!({"config_mount_path": "/etc/api", "env_from": [{"secret": "api-secret"}]})
        ))
        .is_empty()
    );
    assert!(
        said(json!({"config": {"A": "1"}})).is_empty(),
        "hub's defaults read them"
    );
}

#[test]
fn an_unnamed_own_port_is_referred_to_by_number() {
    let objects = render(app_with(
        json!({"pod_defaults": "none", "unnamed_port": true, "liveness": {}}),
    ));
    let c = &get(&objects, "Deployment/api")["spec"]["template"]["spec"]["containers"][0];
    assert_eq!(c["ports"], json!([{"containerPort": 8080, "protocol": "TCP"}]));
    assert_eq!(c["livenessProbe"]["httpGet"]["port"], 8080);
    assert_eq!(get(&objects, "Service/api")["spec"]["ports"][0]["targetPort"], 8080);
    let named = render(app_with(json!({"port_name": "web"})));
    let c = &get(&named, "Deployment/api")["spec"]["template"]["spec"]["containers"][0];
    assert_eq!(c["ports"][0]["name"], "web");
    assert_eq!(c["readinessProbe"]["httpGet"]["port"], "web");
    assert_eq!(get(&named, "Service/api")["spec"]["ports"][0]["targetPort"], "web");
    assert_eq!(
        validate(app_with(json!({"port_name": "Web"}))),
        ["port_name: Invalid Port Name"]
    );
    assert_eq!(
        validate(app_with(json!({"port_name": "web", "unnamed_port": true}))),
        ["port_name: Conflicting Port Names"]
    );
    assert_eq!(
        validate(app_with(json!({"port_name": "web", "ports": {"web": {"port": 9000}}}))),
        ["ports[\"web\"]: Port Name Set By hub"]
    );
}
