//! The seed settings issue 18 found missing, on a live cluster under every CLI: HPA scaling policies (seed
//! 001: 10 % per minute down, 50 % per minute up), a fixed node port, the ConfigMap, Secret and Service
//! names a team's scripts expect (seeds 002 and 004), and an app-scoped Role and RoleBinding (seed 003).
//! Applied, checked on the live objects, re-planned empty; then the Service (keeping its node port) and the
//! ConfigMap are renamed, and the old ones are gone.

use hub_acceptance::sandbox::Scope;
use hub_acceptance::support::{expect, fixture_config, with_kube};
use hub_acceptance::tf::{self, Action, Step, TestCase};
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::authorization::v1::{ResourceAttributes, SubjectAccessReview, SubjectAccessReviewSpec};
use k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler;
use k8s_openapi::api::core::v1::{ConfigMap, Secret, Service};
use k8s_openapi::api::rbac::v1::{Role, RoleBinding};
use kube::Api;
use kube::api::PostParams;
use serde_json::{Value, json};

/// A node port of the cluster-wide range, different for every scope, so parallel tests do not collide.
fn node_port(scope: &Scope) -> u16 {
    let hash = scope
        .id()
        .bytes()
        .fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
    30000 + (hash % 2768) as u16
}

/// The seed-settings fixture `file` (under `testdata/app/`) for namespace `ns` and node port `port`.
fn config(file: &str, ns: &str, port: u16) -> String {
    fixture_config(
        &format!("app/{file}"),
        &[("namespace", ns), ("node_port", &port.to_string())],
    )
}

/// The HPA's behavior, the Service's node port, the custom-named objects and the RBAC objects, live.
fn check_live(ns: &str, service: &str, config_map: &str, port: u16) -> tf::Result<()> {
    let (ns, service, config_map) = (ns.to_owned(), service.to_owned(), config_map.to_owned());
    let (hpa, svc, deployment, role, binding) = with_kube(|c| {
        let (ns, service) = (ns.clone(), service.clone());
        async move {
            let hpa = Api::<HorizontalPodAutoscaler>::namespaced(c.clone(), &ns)
                .get("api")
                .await?;
            let svc = Api::<Service>::namespaced(c.clone(), &ns).get(&service).await?;
            let deployment = Api::<Deployment>::namespaced(c.clone(), &ns).get("api").await?;
            let role = Api::<Role>::namespaced(c.clone(), &ns).get("api").await?;
            let binding = Api::<RoleBinding>::namespaced(c, &ns).get("api").await?;
            Ok((hpa, svc, deployment, role, binding))
        }
    })?;
    let behavior = serde_json::to_value(hpa.spec.and_then(|s| s.behavior)).unwrap_or_default();
    expect(
        behavior["scaleDown"]["policies"] == json!([{"type": "Percent", "value": 10, "periodSeconds": 60}])
            && behavior["scaleDown"]["selectPolicy"] == "Min"
            && behavior["scaleDown"]["stabilizationWindowSeconds"] == 300
            && behavior["scaleUp"]["policies"] == json!([{"type": "Percent", "value": 50, "periodSeconds": 60}])
            && behavior["scaleUp"]["stabilizationWindowSeconds"] == 0,
        &format!("HPA behavior as configured, got {behavior}"),
    )?;
    let ports = svc.spec.and_then(|s| s.ports).unwrap_or_default();
    expect(
        ports.len() == 1 && ports[0].node_port == Some(i32::from(port)),
        &format!("Service {service} has node port {port}: {ports:?}"),
    )?;
    let pod = deployment.spec.and_then(|s| s.template.spec).unwrap_or_default();
    let env_from = serde_json::to_value(&pod.containers[0].env_from).unwrap_or_default();
    expect(
        env_from == json!([{"configMapRef": {"name": config_map}}, {"secretRef": {"name": "flask-secrets"}}]),
        &format!("the pods read the custom-named ConfigMap and Secret: {env_from}"),
    )?;
    let rules = serde_json::to_value(&role.rules).unwrap_or_default();
    expect(
        rules
            == json!([{"apiGroups": [""], "resources": ["configmaps", "secrets"], "verbs": ["get", "list", "watch"]}]),
        &format!("Role rules as configured: {rules}"),
    )?;
    let subjects = serde_json::to_value(&binding.subjects).unwrap_or_default();
    expect(
        binding.role_ref.name == "api"
            && subjects[0]["kind"] == "ServiceAccount"
            && subjects[0]["name"] == "api"
            && subjects[0]["namespace"] == Value::String(ns.clone()),
        &format!("RoleBinding grants Role api to the app's service account: {subjects}"),
    )?;
    // What the binding is for: the pods' account may now read its namespace's Secrets, and only that.
    let may = |verb: &str, resource: &str| {
        let review = SubjectAccessReview {
            spec: SubjectAccessReviewSpec {
                user: Some(format!("system:serviceaccount:{ns}:api")),
                resource_attributes: Some(ResourceAttributes {
                    namespace: Some(ns.clone()),
                    verb: Some(verb.into()),
                    resource: Some(resource.into()),
                    ..Default::default()
                }),
                ..Default::default()
            },
            ..Default::default()
        };
        with_kube(|c| async move {
            let answer = Api::<SubjectAccessReview>::all(c)
                .create(&PostParams::default(), &review)
                .await?;
            Ok(answer.status.is_some_and(|s| s.allowed))
        })
    };
    expect(may("list", "secrets")?, "the service account may list Secrets")?;
    expect(!may("delete", "secrets")?, "the service account may not delete Secrets")
}

/// Whether `kind/name` exists in `ns`.
fn exists(ns: &str, kind: &str, name: &str) -> tf::Result<bool> {
    let (ns, kind, name) = (ns.to_owned(), kind.to_owned(), name.to_owned());
    with_kube(|c| async move {
        Ok(match kind.as_str() {
            "Service" => Api::<Service>::namespaced(c, &ns).get_opt(&name).await?.is_some(),
            "ConfigMap" => Api::<ConfigMap>::namespaced(c, &ns).get_opt(&name).await?.is_some(),
            _ => Api::<Secret>::namespaced(c, &ns).get_opt(&name).await?.is_some(),
        })
    })
}

#[test]
fn acc_app_seed_settings() -> tf::Result<()> {
    tf::for_each_cli(|cli| {
        let scope = Scope::new("app-seed");
        let ns = scope.name("apps");
        let port = node_port(&scope);
        let first = config("seed_settings_1_create.tf", &ns, port);
        let renamed = config("seed_settings_2_renamed.tf", &ns, port);
        TestCase::new()
            .step(
                Step::new(first)
                    .plan_check(|plan| {
                        let rc = plan.resource_change("hub_app.api")?;
                        rc.expect_actions(&[Action::Create])?;
                        let rendered = rc.after("rendered").cloned().unwrap_or_default();
                        for key in [
                            "Role/api",
                            "RoleBinding/api",
                            "Service/flask-service",
                            "ConfigMap/flask-config",
                            "Secret/flask-secrets",
                        ] {
                            expect(rendered.get(key).is_some(), &format!("{key} in the plan"))?;
                        }
                        Ok(())
                    })
                    .check({
                        let ns = ns.clone();
                        move |state: &tf::State| {
                            let dns = state.resource("hub_app.api")?.str("service_dns")?.to_owned();
                            expect(
                                dns == format!("flask-service.{ns}.svc.cluster.local"),
                                &format!("service_dns follows the Service's name: {dns}"),
                            )?;
                            expect(
                                exists(&ns, "Secret", "flask-secrets")? && !exists(&ns, "Secret", "api-secret")?,
                                "the Secret has its custom name only",
                            )?;
                            check_live(&ns, "flask-service", "flask-config", port)
                        }
                    }),
            )
            .step(
                // The Service is renamed keeping its node port (the old one must go first), the ConfigMap
                // is renamed (the pods move to the new one, then the old one goes).
                Step::new(renamed)
                    .plan_check(|plan| {
                        plan.resource_change("hub_app.api")?
                            .expect_actions(&[Action::Update])
                            .map(drop)
                    })
                    .check({
                        let ns = ns.clone();
                        move |state: &tf::State| {
                            let dns = state.resource("hub_app.api")?.str("service_dns")?.to_owned();
                            expect(
                                dns == format!("flask-web.{ns}.svc.cluster.local"),
                                &format!("service_dns follows the rename: {dns}"),
                            )?;
                            expect(!exists(&ns, "Service", "flask-service")?, "the old Service is gone")?;
                            expect(!exists(&ns, "ConfigMap", "flask-config")?, "the old ConfigMap is gone")?;
                            check_live(&ns, "flask-web", "flask-settings", port)
                        }
                    }),
            )
            .run(cli)
    })
}

/// An import knows only `namespace/name`, so it finds objects under the default names; the first apply
/// after it applies the custom-named ones (taking over those that exist), and the next plan is empty.
#[test]
fn acc_app_seed_settings_import_with_custom_names() -> tf::Result<()> {
    let scope = Scope::new("app-seed-import");
    let ns = scope.name("apps");
    let port = node_port(&scope);
    let ws = tf::Workspace::new(tf::opentofu()?)?;
    ws.config(&config("seed_settings_1_create.tf", &ns, port))?;
    ws.apply()?.ok()?;
    let imported = ws.fresh_copy()?;
    let result = (|| {
        imported.import("hub_namespace.ns", &ns)?.ok()?;
        imported.import("hub_app.api", &format!("{ns}/api"))?.ok()?;
        imported
            .plan()?
            .resource_change("hub_app.api")?
            .expect_actions(&[Action::Update])?;
        imported.apply()?.ok()?;
        imported.plan()?.expect_empty()?;
        check_live(&ns, "flask-service", "flask-config", port)
    })();
    // The imported state now holds every object; the first one's state is left behind.
    let destroyed = imported.destroy().and_then(|o| o.ok().map(drop));
    let leftovers = [
        "Service/flask-service",
        "ConfigMap/flask-config",
        "Secret/flask-secrets",
    ]
    .iter()
    .map(|key| {
        let (kind, name) = key.split_once('/').unwrap_or_default();
        exists(&ns, kind, name).map(|live| live.then_some(*key))
    })
    .collect::<tf::Result<Vec<_>>>()?;
    result?;
    destroyed?;
    let leftovers: Vec<&str> = leftovers.into_iter().flatten().collect();
    expect(
        leftovers.is_empty(),
        &format!("destroy after the import left nothing: {leftovers:?}"),
    )
}
