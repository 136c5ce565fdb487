//! Rendering and validation tests for `hub_app`, without a cluster.

use serde_json::{Value as Json, json};

use super::model::AppModel;
use super::render::objects;
use crate::diag::Diagnostics;
use crate::framework::plan::plan;
use crate::value::model::from_value;
use crate::value::{Tf, Type, Value, json as vjson};

/// A configuration as core would send it, with schema defaults and graceful shutdown filled in as the plan would.
pub(super) fn planned(config: Json) -> AppModel {
    let schema = super::schema::schema();
    let ty = schema.implied_type();
    let value = vjson::decode(config.to_string().as_bytes(), &ty).expect("valid config");
    let mut app: AppModel = from_value(&plan(&schema.block, None, &value, &value).0).expect("fits the model");
    // What `modify_plan` fills in before it renders.
    let config = model(config);
    super::shutdown::plan(&mut app, &config);
    super::conditional_defaults(&mut app, &config, None);
    app
}

/// A configuration as core would send it, without defaults.
pub(super) fn model(config: Json) -> AppModel {
    let ty = super::schema::schema().implied_type();
    let config = vjson::decode(config.to_string().as_bytes(), &ty).expect("valid config");
    from_value(&config).expect("fits the model")
}

/// A model from a value that may leave attributes out (they are null) and hold unknowns.
pub(super) fn model_of(value: Value) -> AppModel {
    fn fill(value: Value, ty: &Type) -> Value {
        match (value, ty) {
            (Value::Object(mut attrs), Type::Object(types)) => {
                for (name, ty) in types {
                    let v = attrs.remove(name).unwrap_or(Value::Null);
                    attrs.insert(name.clone(), fill(v, ty));
                }
                Value::Object(attrs)
            }
            (Value::List(items), Type::List(ty)) => Value::List(items.into_iter().map(|v| fill(v, ty)).collect()),
            (value, _) => value,
        }
    }
    let ty = super::schema::schema().implied_type();
    from_value(&fill(value, &ty)).expect("fits the model")
}

/// The app `api` in namespace `prod` with image `x:1`, plus the attributes of `extra`.
pub(super) fn app_with(extra: Json) -> Json {
    let mut config = json!({"name": "api", "namespace": "prod", "image": "x:1"});
    if let (Some(c), Some(e)) = (config.as_object_mut(), extra.as_object()) {
        c.extend(e.clone());
    }
    config
}

pub(super) fn render(config: Json) -> Vec<(String, Json)> {
    let app = planned(config);
    objects(&app, &AppModel::default(), 1)
        .into_iter()
        .map(|o| (o.key.clone(), super::render::masked(&o)))
        .collect()
}

pub(super) fn get(objects: &[(String, Json)], key: &str) -> Json {
    objects
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, m)| m.clone())
        .unwrap_or_else(|| panic!("{key} not rendered"))
}

#[test]
fn defaults_meet_the_restricted_profile_and_seed_probes() {
    let objs = render(json!({"name": "api", "namespace": "prod", "image": "hub-workload:1"}));
    let keys: Vec<&str> = objs.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["ServiceAccount/api", "Service/api", "Deployment/api"]);
    let d = get(&objs, "Deployment/api");
    let pod = &d["spec"]["template"]["spec"];
    let c = &pod["containers"][0];
    assert_eq!(c["securityContext"]["runAsNonRoot"], true);
    assert_eq!(c["securityContext"]["runAsUser"], 10001);
    assert_eq!(c["securityContext"]["readOnlyRootFilesystem"], true);
    assert_eq!(c["securityContext"]["allowPrivilegeEscalation"], false);
    assert_eq!(c["securityContext"]["capabilities"]["drop"], json!(["ALL"]));
    assert_eq!(c["securityContext"]["seccompProfile"]["type"], "RuntimeDefault");
    assert_eq!(c["volumeMounts"][0]["mountPath"], "/tmp");
    assert_eq!(pod["automountServiceAccountToken"], false);
    assert_eq!(c["livenessProbe"]["httpGet"]["path"], "/health");
    assert_eq!(c["readinessProbe"]["httpGet"]["path"], "/ready");
    assert_eq!(c["startupProbe"]["httpGet"]["path"], "/startup");
    assert_eq!(
        pod["topologySpreadConstraints"][0]["topologyKey"],
        "topology.kubernetes.io/zone"
    );
    assert_eq!(d["spec"]["replicas"], 2);
    assert_eq!(d["metadata"]["labels"]["app.kubernetes.io/managed-by"], "hub");
}

#[test]
fn seed_001_production_api() {
    let objs = render(json!({
        "name": "api", "namespace": "prod", "image": "registry/api:1.4.2", "port": 5000,
        "config": {"LOG_LEVEL": "info"}, "secret_env": {"DB_PASSWORD": "hunter2"},
        "autoscaling": {"min_replicas": 3, "max_replicas": 20, "cpu_percent": 70, "memory_percent": 80},
        "disruption_budget": {"min_available": "2"},
        "zone_spread": "anti_affinity",
        "ingress": {"hosts": ["api.example.com"], "certificate_arn": "arn:aws:acm:us-east-1:123456789012:certificate/abc"},
        "service_account": {"annotations": {"eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/api"}}
    }));
    let d = get(&objs, "Deployment/api");
    assert!(d["spec"].get("replicas").is_none(), "the HPA owns replicas");
    assert_eq!(
        d["spec"]["template"]["spec"]["containers"][0]["envFrom"],
        json!([{"configMapRef": {"name": "api-config"}}, {"secretRef": {"name": "api-secret"}}])
    );
    let secret = get(&objs, "Secret/api-secret");
    assert_eq!(
        secret["stringData"]["DB_PASSWORD"], "(sensitive value)",
        "masked in the plan"
    );
    let hpa = get(&objs, "HorizontalPodAutoscaler/api");
    assert_eq!(hpa["spec"]["minReplicas"], 3);
    assert_eq!(
        hpa["spec"]["metrics"][1]["resource"]["target"]["averageUtilization"],
        80
    );
    assert_eq!(get(&objs, "PodDisruptionBudget/api")["spec"]["minAvailable"], 2);
    let ing = get(&objs, "Ingress/api");
    let a = &ing["metadata"]["annotations"];
    assert_eq!(a["alb.ingress.kubernetes.io/healthcheck-path"], "/ready");
    assert_eq!(a["alb.ingress.kubernetes.io/ssl-redirect"], "443");
    assert_eq!(a["alb.ingress.kubernetes.io/target-type"], "ip");
    // Graceful shutdown is on with an ingress: the delay, the pods' sleep and a grace period outlasting both.
    assert_eq!(
        a["alb.ingress.kubernetes.io/target-group-attributes"],
        "deregistration_delay.timeout_seconds=30"
    );
    let pod = &d["spec"]["template"]["spec"];
    assert_eq!(
        pod["containers"][0]["lifecycle"]["preStop"],
        json!({"sleep": {"seconds": 40}})
    );
    assert_eq!(pod["terminationGracePeriodSeconds"], 70);
    assert_eq!(
        ing["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]["port"]["number"],
        80
    );
    assert_eq!(
        get(&objs, "ServiceAccount/api")["metadata"]["annotations"]["eks.amazonaws.com/role-arn"],
        "arn:aws:iam::123456789012:role/api"
    );
}

#[test]
fn config_changes_roll_pods_and_image_changes_touch_one_field() {
    let base = json!({"name": "a", "namespace": "n", "image": "x:1", "config": {"K": "1"}});
    let checksum = |c: Json| {
        get(&render(c), "Deployment/a")["spec"]["template"]["metadata"]["annotations"]["hub.io/config-checksum"].clone()
    };
    let mut changed = base.clone();
    changed["config"]["K"] = json!("2");
    assert_ne!(checksum(base.clone()), checksum(changed));
    let mut image = base.clone();
    image["image"] = json!("x:2");
    assert_eq!(
        checksum(base.clone()),
        checksum(image.clone()),
        "an image change does not touch the checksum"
    );
}

/// From the security review: the pod template's checksum, readable by anyone who can read Deployments,
/// must not be a function of the secret values (an unsalted hash of them could be tested against guesses).
/// A change of stored values bumps the Secret's revision, which rolls the pods instead.
#[test]
fn the_checksum_depends_on_the_secret_revision_not_the_values() {
    let with_secret =
        |value: &str| json!({"name": "a", "namespace": "n", "image": "x:1", "secret_env": {"DB_PASSWORD": value}});
    let checksum = |c: Json, revision: u64| {
        let app = planned(c);
        let objs = objects(&app, &AppModel::default(), revision);
        let d = objs.iter().find(|o| o.key == "Deployment/a").expect("a Deployment");
        d.manifest["spec"]["template"]["metadata"]["annotations"]["hub.io/config-checksum"].clone()
    };
    assert_eq!(
        checksum(with_secret("hunter2"), 3),
        checksum(with_secret("correct horse"), 3),
        "the values do not enter the checksum"
    );
    assert_ne!(checksum(with_secret("hunter2"), 3), checksum(with_secret("hunter2"), 4));

    // The revision: kept while secret_env is unchanged, bumped when it changes.
    let prior = |value: &str, revision: u64| {
        let mut state = planned(with_secret(value));
        state.rendered = Tf::Known(super::reconcile::rendered(&state, &AppModel::default(), revision));
        state
    };
    let next =
        |value: &str, prior: &AppModel| super::render::next_secret_revision(&planned(with_secret(value)), Some(prior));
    assert_eq!(next("hunter2", &prior("hunter2", 3)), 3);
    assert_eq!(next("correct horse", &prior("hunter2", 3)), 4);
    assert_eq!(super::render::next_secret_revision(&planned(with_secret("x")), None), 1);
}

#[test]
fn the_app_is_told_which_environment_variables_are_secret() {
    let objs = render(json!({"name": "a", "namespace": "n", "image": "x:1",
        "secret_env": {"DB_PASSWORD": "p", "API_TOKEN": "t"}, "env": {"MODE": "prod"}}));
    let env = &get(&objs, "Deployment/a")["spec"]["template"]["spec"]["containers"][0]["env"];
    assert_eq!(
        env,
        &json!([{"name": "HUB_SECRET_KEYS", "value": "API_TOKEN,DB_PASSWORD"}, {"name": "MODE", "value": "prod"}])
    );
    let plain = render(json!({"name": "a", "namespace": "n", "image": "x:1"}));
    assert!(
        get(&plain, "Deployment/a")["spec"]["template"]["spec"]["containers"][0]
            .get("env")
            .is_none()
    );
}

pub(super) fn validate(config: Json) -> Vec<String> {
    let schema = super::schema::schema();
    let v = vjson::decode(config.to_string().as_bytes(), &schema.implied_type()).unwrap();
    let mut diags = Diagnostics::new();
    crate::framework::validate::validate_block(
        &schema.block,
        &v,
        &crate::value::AttributePath::root(),
        true,
        &mut diags,
    );
    crate::framework::AnyResource::validate(&super::AppResource, &v, &mut diags);
    summaries(&diags)
}

/// Each problem as `path: summary`.
pub(super) fn summaries(diags: &Diagnostics) -> Vec<String> {
    diags
        .iter()
        .map(|d| {
            format!(
                "{}: {}",
                d.path.as_ref().map(ToString::to_string).unwrap_or_default(),
                d.summary
            )
        })
        .collect()
}

#[test]
fn bad_input_is_refused_naming_the_attribute() {
    let base = json!({"name": "a", "namespace": "n", "image": "x:1"});
    let with = |extra: Json| {
        let mut c = base.clone();
        c.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        validate(c)
    };
    assert_eq!(
        with(json!({"autoscaling": {"min_replicas": 5, "max_replicas": 2, "cpu_percent": 50}})),
        ["autoscaling.max_replicas: Invalid Autoscaling Range"]
    );
    assert_eq!(
        with(json!({"resources": {"cpu_request": "2", "cpu_limit": "500m"}})),
        ["resources.cpu_request: Request Above Limit"]
    );
    assert_eq!(
        with(json!({"resources": {"memory_request": "lots"}})),
        ["resources.memory_request: Invalid Quantity"]
    );
    assert_eq!(
        with(json!({"ingress": {"certificate_arn": "arn:aws:iam::1:cert"}})),
        ["ingress.certificate_arn: Invalid Certificate ARN"]
    );
    assert_eq!(
        with(json!({"disruption_budget": {"min_available": "1", "max_unavailable": "1"}})),
        ["disruption_budget: Invalid Disruption Budget"]
    );
    assert_eq!(
        with(json!({"secret_env_wo": {"K": "v"}})),
        ["secret_env_wo_version: Missing Write-only Version"]
    );
    assert_eq!(with(json!({"port": 70000})), ["port: Value Out Of Range"]);
    assert_eq!(
        with(json!({"liveness": {"http_path": "/h", "tcp": true}})),
        ["liveness: Conflicting Probe Kinds"]
    );
    assert!(with(json!({})).is_empty());
}

#[test]
fn irsa_binding_annotates_rolls_pods_and_must_target_this_app() {
    let irsa = |ns: &str, sa: &str, arn: &str| {
        json!({"name": "api", "namespace": "prod", "image": "x:1",
               "service_account": {"irsa": {"namespace": ns, "service_account": sa, "role_arn": arn}}})
    };
    let role = "arn:aws:iam::123456789012:role/api";
    let objs = render(irsa("prod", "api", role));
    assert_eq!(
        get(&objs, "ServiceAccount/api")["metadata"]["annotations"]["eks.amazonaws.com/role-arn"],
        role
    );
    let checksum = |c: Json| {
        get(&render(c), "Deployment/api")["spec"]["template"]["metadata"]["annotations"]["hub.io/config-checksum"]
            .clone()
    };
    assert_ne!(
        checksum(irsa("prod", "api", role)),
        checksum(irsa("prod", "api", "arn:aws:iam::123456789012:role/api-v2")),
        "a new role rolls the pods"
    );
    assert!(validate(irsa("prod", "api", role)).is_empty());
    assert_eq!(
        validate(irsa("prod", "worker", role)),
        ["service_account.irsa: IRSA Binding For Another Service Account"]
    );
    assert_eq!(
        validate(irsa("staging", "api", role)),
        ["service_account.irsa: IRSA Binding For Another Service Account"]
    );
    let mut named = irsa("prod", "api-sa", role);
    named["service_account"]["name"] = json!("api-sa");
    assert!(
        validate(named).is_empty(),
        "a custom service account name is what the binding must trust"
    );
}

/// A Pod Identity binding: no role annotation (EKS refuses it beside an association), pods roll when the
/// mechanism, the role or an association changes, and an IRSA app's checksum is what it was before the
/// mechanism existed, so upgrading hub rolls nobody.
#[test]
fn pod_identity_binding_rolls_pods_without_the_annotation() {
    let role = "arn:aws:iam::123456789012:role/api";
    let app = |irsa: Json| {
        json!({"name": "api", "namespace": "prod", "image": "x:1",
               "service_account": {"irsa": irsa}})
    };
    let pod_identity = |ids: Json| {
        app(json!({"namespace": "prod", "service_account": "api", "role_arn": role,
                   "mechanism": "pod_identity", "association_ids": ids}))
    };
    let checksum = |c: Json| {
        get(&render(c), "Deployment/api")["spec"]["template"]["metadata"]["annotations"]["hub.io/config-checksum"]
            .clone()
    };
    let objs = render(pod_identity(json!({"prod-1": "a-1"})));
    assert_eq!(get(&objs, "ServiceAccount/api")["metadata"]["annotations"], Json::Null);
    let irsa = app(json!({"namespace": "prod", "service_account": "api", "role_arn": role}));
    let mut explicit = irsa.clone();
    explicit["service_account"]["irsa"]["mechanism"] = json!("irsa");
    assert_eq!(
        checksum(irsa.clone()),
        json!("f65197b91ee1f3bd"),
        "IRSA apps keep their checksum"
    );
    assert_eq!(checksum(explicit), checksum(irsa.clone()));
    let switched = checksum(pod_identity(json!({"prod-1": "a-1"})));
    assert_ne!(switched, checksum(irsa), "switching the mechanism rolls the pods");
    assert_ne!(
        switched,
        checksum(pod_identity(json!({"prod-1": "a-2"}))),
        "a re-created association rolls the pods"
    );
    let mut annotated = pod_identity(json!({}));
    annotated["service_account"]["annotations"] = json!({"eks.amazonaws.com/role-arn": role});
    assert_eq!(
        validate(annotated),
        ["service_account.annotations[\"eks.amazonaws.com/role-arn\"]: IRSA Annotation With Pod Identity"]
    );
    let mut bad = pod_identity(json!({}));
    bad["service_account"]["irsa"]["mechanism"] = json!("kiam");
    assert_eq!(validate(bad).len(), 1);
}

/// Seed 001: scale down by at most 10 % per minute, up by at most 50 % per minute; the stabilisation
/// windows stay as they were.
#[test]
fn hpa_scaling_policies_render_into_behavior() {
    let objs = render(json!({"name": "api", "namespace": "prod", "image": "x:1",
        "autoscaling": {"min_replicas": 3, "max_replicas": 20, "cpu_percent": 70,
            "scale_down_policies": [{"type": "Percent", "value": 10, "period_seconds": 60}],
            "scale_up_policies": [{"type": "Percent", "value": 50, "period_seconds": 60},
                                  {"type": "Pods", "value": 4, "period_seconds": 60}],
            "scale_up_select_policy": "Max", "scale_down_select_policy": "Min"}}));
    assert_eq!(
        get(&objs, "HorizontalPodAutoscaler/api")["spec"]["behavior"],
        json!({
            "scaleDown": {"stabilizationWindowSeconds": 300, "selectPolicy": "Min",
                "policies": [{"type": "Percent", "value": 10, "periodSeconds": 60}]},
            "scaleUp": {"stabilizationWindowSeconds": 0, "selectPolicy": "Max",
                "policies": [{"type": "Percent", "value": 50, "periodSeconds": 60},
                             {"type": "Pods", "value": 4, "periodSeconds": 60}]},
        })
    );
    // Without policies, the behavior is what it was (the Kubernetes defaults apply).
    let plain = render(json!({"name": "api", "namespace": "prod", "image": "x:1",
        "autoscaling": {"min_replicas": 1, "max_replicas": 2, "cpu_percent": 70}}));
    assert_eq!(
        get(&plain, "HorizontalPodAutoscaler/api")["spec"]["behavior"],
        json!({"scaleDown": {"stabilizationWindowSeconds": 300}, "scaleUp": {"stabilizationWindowSeconds": 0}})
    );
}

#[test]
fn a_fixed_node_port_is_on_the_http_port() {
    let objs = render(json!({"name": "api", "namespace": "dev", "image": "x:1",
        "service": {"type": "NodePort", "node_port": 30080}}));
    let ports = &get(&objs, "Service/api")["spec"]["ports"];
    assert_eq!(
        ports,
        &json!([{"name": "http", "port": 80, "targetPort": "http", "protocol": "TCP", "nodePort": 30080}])
    );
    let plain = render(json!({"name": "api", "namespace": "dev", "image": "x:1"}));
    assert!(get(&plain, "Service/api")["spec"]["ports"][0].get("nodePort").is_none());
}

/// Seeds 002 and 004: scripts and dashboards expect existing names; everything that refers to the objects
/// follows them.
#[test]
fn custom_names_name_the_objects_and_every_reference() {
    let objs = render(json!({"name": "api", "namespace": "prod", "image": "x:1",
        "config": {"K": "v"}, "config_mount_path": "/etc/app", "secret_env": {"S": "s"},
        "config_map_name": "flask-config", "secret_name": "flask-secrets",
        "service": {"name": "mytomorrows-flask-service", "type": "LoadBalancer"},
        "ingress": {"hosts": ["api.example.com"]}}));
    let keys: Vec<&str> = objs.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        keys,
        [
            "ServiceAccount/api",
            "ConfigMap/flask-config",
            "Secret/flask-secrets",
            "Service/mytomorrows-flask-service",
            "Deployment/api",
            "Ingress/api"
        ]
    );
    let pod = &get(&objs, "Deployment/api")["spec"]["template"]["spec"];
    assert_eq!(
        pod["containers"][0]["envFrom"],
        json!([{"configMapRef": {"name": "flask-config"}}, {"secretRef": {"name": "flask-secrets"}}])
    );
    assert_eq!(pod["volumes"][1]["configMap"]["name"], "flask-config");
    assert_eq!(
        get(&objs, "Ingress/api")["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]["name"],
        "mytomorrows-flask-service"
    );
    let app = planned(json!({"name": "api", "namespace": "prod", "image": "x:1"}));
    assert_eq!(
        (app.service_name(), app.config_map_name(), app.secret_name()),
        ("api", "api-config".into(), "api-secret".into()),
        "defaults unchanged"
    );
}

/// Seed 003 reads the ConfigMaps and Secrets of its namespace: a Role and a RoleBinding to the pods'
/// service account, applied before the Deployment.
#[test]
fn rbac_renders_a_role_bound_to_the_apps_service_account() {
    let objs = render(json!({"name": "api", "namespace": "prod", "image": "x:1",
    "service_account": {"name": "api-sa"},
    "rbac": {"rules": [
        {"api_groups": [""], "resources": ["configmaps", "secrets"], "verbs": ["get", "list", "watch"]},
        {"api_groups": [""], "resources": ["configmaps"], "verbs": ["update"], "resource_names": ["leader"]},
    ]}}));
    let keys: Vec<&str> = objs.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        keys,
        [
            "ServiceAccount/api-sa",
            "Role/api",
            "RoleBinding/api",
            "Service/api",
            "Deployment/api"
        ]
    );
    let role = get(&objs, "Role/api");
    assert_eq!(role["apiVersion"], "rbac.authorization.k8s.io/v1");
    assert_eq!(
        role["rules"],
        json!([
            {"apiGroups": [""], "resources": ["configmaps", "secrets"], "verbs": ["get", "list", "watch"]},
            {"apiGroups": [""], "resources": ["configmaps"], "verbs": ["update"], "resourceNames": ["leader"]},
        ])
    );
    let binding = get(&objs, "RoleBinding/api");
    assert_eq!(
        binding["roleRef"],
        json!({"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "api"})
    );
    assert_eq!(
        binding["subjects"],
        json!([{"kind": "ServiceAccount", "name": "api-sa", "namespace": "prod"}])
    );
    assert_eq!(binding["metadata"]["labels"]["app.kubernetes.io/managed-by"], "hub");
    // Deleted in reverse order: the binding goes before the Role.
    let kinds: Vec<&str> = super::kinds::APP_KINDS.iter().map(|k| k.kind).collect();
    let at = |k: &str| kinds.iter().position(|x| *x == k).expect("listed");
    assert!(at("Role") < at("RoleBinding") && at("RoleBinding") < at("Deployment"));
}

/// Every app that uses a service account rolls when its role changes, not only the app that creates it:
/// the role ARN enters the pod template checksum whether or not this app creates the account.
#[test]
fn apps_sharing_a_service_account_all_roll_when_its_role_changes() {
    let creator = |arn: &str| {
        json!({"name": "api", "namespace": "prod", "image": "x:1",
            "service_account": {"irsa": {"namespace": "prod", "service_account": "api", "role_arn": arn}}})
    };
    let sharer = |arn: &str| {
        json!({"name": "worker", "namespace": "prod", "image": "x:1",
            "service_account": {"create": false, "name": "api",
                "irsa": {"namespace": "prod", "service_account": "api", "role_arn": arn}}})
    };
    let checksum = |c: Json, app: &str| {
        get(&render(c), &format!("Deployment/{app}"))["spec"]["template"]["metadata"]["annotations"]
            ["hub.io/config-checksum"]
            .clone()
    };
    let (v1, v2) = (
        "arn:aws:iam::123456789012:role/api",
        "arn:aws:iam::123456789012:role/api-v2",
    );
    assert_ne!(checksum(creator(v1), "api"), checksum(creator(v2), "api"));
    assert_ne!(
        checksum(sharer(v1), "worker"),
        checksum(sharer(v2), "worker"),
        "the app that does not create the account rolls too"
    );
    let objs = render(sharer(v1));
    assert!(
        objs.iter().all(|(k, _)| !k.starts_with("ServiceAccount/")),
        "the sharing app leaves the account (and its annotation) to the app that creates it"
    );
    assert_eq!(
        get(&objs, "Deployment/worker")["spec"]["template"]["spec"]["serviceAccountName"],
        "api"
    );
    // Only the reminder that this app does not annotate the account it shares.
    let diags = validate(sharer(v1));
    assert!(
        diags
            .iter()
            .all(|d| d.contains("IRSA On A Service Account hub Does Not Create")),
        "{diags:?}"
    );
}

#[test]
fn seed_setting_contradictions_are_refused_naming_the_attribute() {
    let base = json!({"name": "a", "namespace": "n", "image": "x:1"});
    let with = |extra: Json| {
        let mut c = base.clone();
        c.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        validate(c)
    };
    let hpa = |extra: Json| {
        let mut a = json!({"min_replicas": 1, "max_replicas": 5, "cpu_percent": 70});
        a.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        with(json!({ "autoscaling": a }))
    };
    let policy = |ty: &str, value: i64, period: i64| json!([{"type": ty, "value": value, "period_seconds": period}]);
    assert!(hpa(json!({"scale_down_policies": policy("Percent", 10, 60)})).is_empty());
    assert_eq!(
        hpa(json!({"scale_down_policies": policy("Percent", 150, 60)})),
        ["autoscaling.scale_down_policies[0].value: Invalid Scaling Policy"]
    );
    assert!(hpa(json!({"scale_up_policies": policy("Percent", 200, 60)})).is_empty());
    assert_eq!(
        hpa(json!({"scale_up_policies": policy("Percent", 5000, 60)})),
        ["autoscaling.scale_up_policies[0].value: Invalid Scaling Policy"]
    );
    assert_eq!(
        hpa(json!({"scale_up_policies": policy("Pods", 0, 60)})),
        ["autoscaling.scale_up_policies[0].value: Value Out Of Range"]
    );
    assert_eq!(
        hpa(json!({"scale_up_policies": policy("Pods", 2, 3600)})),
        ["autoscaling.scale_up_policies[0].period_seconds: Value Out Of Range"]
    );
    assert_eq!(
        hpa(json!({"scale_down_policies": policy("Percent", 10, 60), "scale_down_select_policy": "Disabled"})),
        ["autoscaling.scale_down_select_policy: Scaling Policies Never Apply"]
    );
    assert!(hpa(json!({"scale_down_select_policy": "Disabled"})).is_empty());
    assert_eq!(
        with(json!({"service": {"node_port": 30080}})),
        ["service.node_port: Node Port Needs A NodePort Service"]
    );
    assert_eq!(
        with(json!({"service": {"type": "NodePort", "node_port": 8080}})),
        ["service.node_port: Value Out Of Range"]
    );
    assert!(with(json!({"service": {"type": "LoadBalancer", "node_port": 30080}})).is_empty());
    assert_eq!(
        with(json!({"service": {"name": "9lives"}})),
        ["service.name: Invalid Kubernetes Name"]
    );
    assert_eq!(
        with(json!({"config_map_name": "Flask_Config"})),
        ["config_map_name: Invalid Kubernetes Name"]
    );
    assert_eq!(
        with(json!({"secret_name": "-x"})),
        ["secret_name: Invalid Kubernetes Name"]
    );
    let rule = |verbs: Json, resources: Json| json!({"api_groups": [""], "resources": resources, "verbs": verbs});
    let with = |mut extra: Json| {
        // A Role is usable only with the token mounted; without it, a warning (below).
        extra["security"] = json!({"automount_service_account_token": true});
        with(extra)
    };
    assert_eq!(
        validate(json!({"name": "a", "namespace": "n", "image": "x:1",
            "rbac": {"rules": [rule(json!(["get"]), json!(["secrets"]))]}})),
        ["rbac: Role Without A Token To Use It"]
    );
    assert!(with(json!({"rbac": {"rules": [rule(json!(["get"]), json!(["secrets"]))]}})).is_empty());
    assert_eq!(
        with(json!({"rbac": {"rules": [rule(json!(["*"]), json!(["secrets"]))]}})),
        ["rbac.rules[0].verbs: Wildcard In Role"]
    );
    assert_eq!(
        with(json!({"rbac": {"rules": [rule(json!(["get"]), json!(["*"]))]}})),
        ["rbac.rules[0].resources: Wildcard In Role"]
    );
    assert!(with(json!({"rbac": {"allow_wildcards": true, "rules": [rule(json!(["*"]), json!(["*"]))]}})).is_empty());
    assert_eq!(with(json!({"rbac": {"rules": []}})), ["rbac.rules: Role Without Rules"]);
    assert_eq!(
        with(json!({"rbac": {"rules": [rule(json!([]), json!(["secrets"]))]}})),
        ["rbac.rules[0].verbs: Rule Grants Nothing"]
    );
    let mut named = rule(json!(["get", "create"]), json!(["configmaps"]));
    named["resource_names"] = json!(["leader"]);
    assert_eq!(
        with(json!({"rbac": {"rules": [named]}})),
        ["rbac.rules[0].resource_names: Verb Cannot Be Restricted By Name"]
    );
}

/// The plan's dry-run of a renamed Service that keeps its node port leaves the port out (the old Service
/// holds it until apply deletes it first); any other plan is dry-run as planned.
#[test]
fn a_renamed_service_keeping_its_node_port_is_dry_run_without_it() {
    let app = |service: &str| {
        planned(json!({"name": "api", "namespace": "dev", "image": "x:1",
            "service": {"name": service, "type": "NodePort", "node_port": 30080}}))
    };
    let mut prior = app("old");
    prior.rendered = Tf::Known(super::reconcile::rendered(&prior, &AppModel::default(), 0));
    let node_port = |v: &AppModel| v.service.get().and_then(|s| s.node_port.value());
    let checked = |planned: AppModel, prior: Option<&AppModel>| {
        let objects = super::render::objects(&planned, &AppModel::default(), 0);
        super::renames::for_dry_run(&planned, &objects, prior).unwrap_or(planned)
    };
    assert_eq!(node_port(&checked(app("new"), Some(&prior))), None);
    assert_eq!(node_port(&checked(app("old"), Some(&prior))), Some(30080));
    assert_eq!(node_port(&checked(app("new"), None)), Some(30080));
}

/// Checks made at plan still see the known parts of maps, lists and objects that are only partly known
/// (an entry from another resource): keys, known values and known elements are checked, unknown ones skipped.
#[test]
fn partly_unknown_values_are_checked_on_their_known_parts() {
    let map = |entries: &[(&str, Option<&str>)]| {
        Value::Map(
            entries
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.map_or_else(Value::unknown, Value::string)))
                .collect(),
        )
    };
    let config = Value::object([
        ("name", Value::string("a")),
        ("namespace", Value::string("n")),
        ("image", Value::string("x:1")),
        ("env", map(&[("bad=key", None), ("MODE", Some("prod"))])),
        ("node_selector", map(&[("bad key", Some("v")), ("zone", None)])),
        (
            "ingress",
            Value::object([
                (
                    "hosts",
                    Value::List(vec![
                        Value::string("a.example.com"),
                        Value::string("a.example.com"),
                        Value::unknown(),
                    ]),
                ),
                ("annotations", map(&[("hub.io/x", None)])),
                ("certificate_arn", Value::unknown()),
            ]),
        ),
        (
            "service",
            Value::object([("node_port", Value::from(30080i64)), ("type", Value::unknown())]),
        ),
        (
            "tolerations",
            Value::List(vec![
                Value::object([("key", Value::unknown()), ("operator", Value::string("Equal"))]),
                // A wholly unknown toleration is skipped; the known ones around it are still checked.
                Value::unknown(),
                Value::object([
                    ("key", Value::string("k")),
                    ("operator", Value::string("Exists")),
                    ("value", Value::string("v")),
                ]),
            ]),
        ),
        ("rbac", Value::unknown()),
    ]);
    let app = model_of(config);
    assert_eq!(super::model::known(&app.env).len(), 1, "the unknown entry is left out");
    let mut diags = Diagnostics::new();
    crate::framework::Resource::validate(&super::AppResource, &app, &mut diags);
    assert_eq!(
        summaries(&diags),
        [
            "rbac: Role Without A Token To Use It",
            "ingress.hosts[1]: Duplicate Host",
            "env[\"bad=key\"]: Invalid Environment Variable",
            "node_selector[\"bad key\"]: Invalid Node Selector",
            "tolerations[2].value: Invalid Toleration",
            "ingress.annotations[\"hub.io/x\"]: Key Set By hub",
        ]
    );
}
