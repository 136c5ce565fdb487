//! Issue 20's pod settings on a live cluster under every CLI: environment from a Secret and ConfigMap hub
//! does not own (made here through the Kubernetes client, never read by hub), named ports on the container,
//! the Service, a probe and the Ingress, scheduling (node affinity, one pod per node, a pull secret, a
//! runtime class), and volumes, with a claim hub creates that grows, refuses to shrink and is kept (released)
//! when the app is destroyed. Every step is applied as planned and re-planned empty.

use std::collections::BTreeSet;
use std::time::Duration;

use hub_acceptance::sandbox::Scope;
use hub_acceptance::support::{expect, fixture_config, with_kube};
use hub_acceptance::tf::{self, Action, DiagMatch, ImportId, Step, TestCase};
use hub_acceptance::wait::wait_for;
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{ConfigMap, PersistentVolume, PersistentVolumeClaim, Pod, Secret, Service};
use k8s_openapi::api::networking::v1::Ingress;
use k8s_openapi::api::node::v1::RuntimeClass;
use k8s_openapi::api::storage::v1::StorageClass;
use kube::Api;
use kube::api::{DeleteParams, ListParams, PostParams};
use serde_json::{Value, json};

use super::unverifiable::{rendered_is_contained, unverifiable};

/// Creates `object` (a namespaced or cluster-wide core object given as JSON) with the admin client.
fn create<K>(ns: Option<&str>, object: Value) -> tf::Result<()>
where
    K: kube::Resource<Scope = k8s_openapi::NamespaceResourceScope>
        + Clone
        + serde::de::DeserializeOwned
        + serde::Serialize
        + std::fmt::Debug,
    <K as kube::Resource>::DynamicType: Default,
{
    let ns = ns.map(str::to_owned);
    with_kube(|c| async move {
        let object: K = serde_json::from_value(object).map_err(kube::Error::SerdeError)?;
        let api = Api::<K>::namespaced(c, ns.as_deref().unwrap_or("default"));
        api.create(&PostParams::default(), &object).await.map(drop)
    })
}

/// The Secrets and ConfigMap the app reads, made outside Terraform.
fn foreign_objects(ns: &str) -> tf::Result<()> {
    for (name, data) in [
        ("db", json!({"password": "cGFzc3dvcmQ="})),
        ("shared", json!({"TOKEN": "dG9rZW4="})),
        ("registry", json!({".dockerconfigjson": "e30="})),
    ] {
        let ty = if name == "registry" {
            "kubernetes.io/dockerconfigjson"
        } else {
            "Opaque"
        };
        create::<Secret>(Some(ns), json!({"metadata": {"name": name}, "type": ty, "data": data}))?;
    }
    create::<ConfigMap>(
        Some(ns),
        json!({"metadata": {"name": "flags"}, "data": {"features": "a,b", "MODE": "fast"}}),
    )
}

fn deployment(ns: &str) -> tf::Result<Deployment> {
    let ns = ns.to_owned();
    with_kube(|c| async move { Api::<Deployment>::namespaced(c, &ns).get("api").await })
}

/// The pod template's spec as JSON.
fn pod_spec(ns: &str) -> tf::Result<Value> {
    let d = deployment(ns)?;
    Ok(serde_json::to_value(d.spec.and_then(|s| s.template.spec)).unwrap_or_default())
}

fn check_settings(ns: &str, runtime_class: &str) -> tf::Result<()> {
    let pod = pod_spec(ns)?;
    let c = &pod["containers"][0];
    let env = &c["env"];
    expect(
        env[0]
            == json!({"name": "FEATURES", "valueFrom": {"configMapKeyRef": {"name": "flags", "key": "features", "optional": true}}})
            && env[1]
                == json!({"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db", "key": "password", "optional": false}}}),
        &format!("key references first in env: {env}"),
    )?;
    expect(
        c["envFrom"]
            == json!([
                {"secretRef": {"name": "shared", "optional": false}},
                {"configMapRef": {"name": "flags", "optional": false}, "prefix": "FLAG_"},
            ]),
        &format!("envFrom: {}", c["envFrom"]),
    )?;
    let ports: BTreeSet<(String, i64)> = c["ports"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            (
                p["name"].as_str().unwrap_or_default().to_owned(),
                p["containerPort"].as_i64().unwrap_or(0),
            )
        })
        .collect();
    expect(
        ports
            == BTreeSet::from([
                ("http".into(), 8080),
                ("admin".into(), 9091),
                ("metrics".into(), 9090),
                ("web".into(), 8443),
            ]),
        &format!("container ports: {ports:?}"),
    )?;
    expect(
        c["livenessProbe"]["httpGet"]["port"] == "admin" && c["livenessProbe"]["httpGet"]["path"] == "/health",
        &format!("liveness probe on the admin port: {}", c["livenessProbe"]),
    )?;
    expect(
        pod["imagePullSecrets"] == json!([{"name": "registry"}]) && pod["runtimeClassName"] == runtime_class,
        &format!("pull secret and runtime class: {pod}"),
    )?;
    expect(
        pod["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"][0]["matchExpressions"]
            [0]["key"]
            == "kubernetes.io/arch"
            && pod["affinity"]["podAntiAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"][0]["topologyKey"]
                == "kubernetes.io/hostname",
        &format!("node affinity and one pod per node: {}", pod["affinity"]),
    )?;
    let (ns2, ns3) = (ns.to_owned(), ns.to_owned());
    let svc = with_kube(|c| async move { Api::<Service>::namespaced(c, &ns2).get("api").await })?;
    let svc_ports: Vec<Value> = svc
        .spec
        .and_then(|s| s.ports)
        .unwrap_or_default()
        .into_iter()
        .map(|p| json!([p.name, p.port]))
        .collect();
    expect(
        svc_ports == vec![json!(["http", 80]), json!(["metrics", 9090]), json!(["web", 443])],
        &format!("Service ports http, metrics and web: {svc_ports:?}"),
    )?;
    let ingress = with_kube(|c| async move { Api::<Ingress>::namespaced(c, &ns3).get("api").await })?;
    let backend =
        serde_json::to_value(ingress.spec).unwrap_or_default()["rules"][0]["http"]["paths"][0]["backend"].clone();
    expect(
        backend["service"]["port"] == json!({"name": "web"}),
        &format!("the Ingress targets the web port: {backend}"),
    )?;
    // One pod per node: the three replicas run on three different nodes.
    let n = ns.to_owned();
    let pods = with_kube(|c| async move {
        Api::<Pod>::namespaced(c, &n)
            .list(&ListParams::default().labels("app.kubernetes.io/name=api"))
            .await
    })?;
    let nodes: BTreeSet<String> = pods
        .items
        .iter()
        .filter_map(|p| p.spec.as_ref()?.node_name.clone())
        .collect();
    expect(
        pods.items.len() == 3 && nodes.len() == 3,
        &format!("3 pods on 3 nodes, got {} pods on {nodes:?}", pods.items.len()),
    )
}

/// Environment from objects hub does not own, named ports and scheduling, under every CLI.
#[test]
fn acc_app_env_refs_ports_and_scheduling() -> tf::Result<()> {
    tf::for_each_cli(|cli| {
        let scope = Scope::new("app-pod");
        let ns = scope.name("apps");
        // A RuntimeClass is cluster-wide: one per test run, removed at the end.
        let runtime_class = scope.name("runc");
        let rc = json!({"metadata": {"name": runtime_class}, "handler": "runc"});
        with_kube(|c| async move {
            let rc: RuntimeClass = serde_json::from_value(rc).map_err(kube::Error::SerdeError)?;
            Api::<RuntimeClass>::all(c)
                .create(&PostParams::default(), &rc)
                .await
                .map(drop)
        })?;
        let vars = [("namespace", ns.as_str()), ("runtime_class", runtime_class.as_str())];
        let (make_ns, check_ns, rc) = (ns.clone(), ns.clone(), runtime_class.clone());
        let result = TestCase::new()
            .step(Step::new(fixture_config("app/pod_1_namespace.tf", &vars)))
            .step(
                Step::new(fixture_config("app/pod_2_settings.tf", &vars))
                    .pre_config(move || foreign_objects(&make_ns))
                    .plan_check(|plan| {
                        let rc = plan.resource_change("hub_app.api")?;
                        rc.expect_actions(&[Action::Create])?;
                        let rendered = rc.after("rendered").cloned().unwrap_or_default();
                        let d = rendered["Deployment/api"].as_str().unwrap_or_default();
                        // The plan names the objects, never their values (hub never read them).
                        expect(
                            d.contains("secretKeyRef") && !d.contains("cGFzc3dvcmQ=") && !d.contains("password\":\"p"),
                            "the key reference is planned, without a value",
                        )
                    })
                    .check(move |_: &tf::State| check_settings(&check_ns, &rc))
                    .import_verify("hub_app.api", ImportId::Attribute("id".into()), &unverifiable())
                    .import_check(rendered_is_contained),
            )
            .run(cli);
        let name = runtime_class.clone();
        let cleanup = with_kube(|c| async move {
            Api::<RuntimeClass>::all(c)
                .delete(&name, &DeleteParams::default())
                .await
                .map(drop)
        });
        result.and(cleanup)
    })
}

fn claim(ns: &str, name: &str) -> tf::Result<Option<PersistentVolumeClaim>> {
    let (ns, name) = (ns.to_owned(), name.to_owned());
    with_kube(|c| async move { Api::<PersistentVolumeClaim>::namespaced(c, &ns).get_opt(&name).await })
}

/// Waits until the claim hub made is bound (to the volume the test made for it), so it may grow.
fn wait_bound(ns: &str) -> tf::Result<()> {
    wait_for(Duration::from_secs(60), "claim api-data to be bound", || {
        let phase = claim(ns, "api-data")
            .map_err(|e| e.to_string())?
            .and_then(|c| c.status?.phase)
            .unwrap_or_default();
        if phase == "Bound" {
            Ok(())
        } else {
            Err(format!("phase {phase:?}"))
        }
    });
    Ok(())
}

/// The claims' storage class (expandable, statically provisioned), and two volumes for the claims to bind
/// to (the app's own and the existing `shared` one), so the pods schedule.
fn storage(class: &str) -> tf::Result<()> {
    let sc = json!({"metadata": {"name": class}, "provisioner": "kubernetes.io/no-provisioner",
        "allowVolumeExpansion": true, "volumeBindingMode": "Immediate"});
    let volumes: Vec<Value> = ["a", "b"]
        .iter()
        .map(|v| {
            json!({"metadata": {"name": format!("{class}-{v}")}, "spec": {"storageClassName": class,
                "capacity": {"storage": "4Gi"}, "accessModes": ["ReadWriteOnce"],
                "persistentVolumeReclaimPolicy": "Retain", "hostPath": {"path": format!("/var/lib/hub-test/{class}-{v}")}}})
        })
        .collect();
    with_kube(|c| async move {
        let sc: StorageClass = serde_json::from_value(sc).map_err(kube::Error::SerdeError)?;
        Api::<StorageClass>::all(c.clone())
            .create(&PostParams::default(), &sc)
            .await?;
        for pv in volumes {
            let pv: PersistentVolume = serde_json::from_value(pv).map_err(kube::Error::SerdeError)?;
            Api::<PersistentVolume>::all(c.clone())
                .create(&PostParams::default(), &pv)
                .await?;
        }
        Ok(())
    })
}

fn remove_storage(class: &str) -> tf::Result<()> {
    let class = class.to_owned();
    with_kube(|c| async move {
        for v in ["a", "b"] {
            let _ = Api::<PersistentVolume>::all(c.clone())
                .delete(&format!("{class}-{v}"), &DeleteParams::default())
                .await;
        }
        Api::<StorageClass>::all(c)
            .delete(&class, &DeleteParams::default())
            .await
            .map(drop)
    })
}

fn check_volumes(ns: &str, class: &str) -> tf::Result<()> {
    let pod = pod_spec(ns)?;
    let volumes: Vec<&str> = pod["volumes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v["name"].as_str())
        .collect();
    expect(
        volumes == ["tmp", "cache", "certs", "data", "flags", "secrets", "shared"],
        &format!("the pod's volumes: {volumes:?}"),
    )?;
    let by_name = |n: &str| {
        pod["volumes"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|v| v["name"] == n)
            .cloned()
            .unwrap_or_default()
    };
    expect(
        by_name("certs")["secret"]["defaultMode"] == 0o440
            && by_name("data")["persistentVolumeClaim"]["claimName"] == "api-data"
            && by_name("secrets")["csi"]["volumeAttributes"]["secretProviderClass"] == "api-secrets"
            && by_name("cache")["emptyDir"]["medium"] == "Memory",
        &format!("volume sources as configured: {}", pod["volumes"]),
    )?;
    let mounts = &pod["containers"][0]["volumeMounts"];
    expect(
        mounts.as_array().is_some_and(|m| m.len() == 8)
            && mounts[6] == json!({"name": "data", "mountPath": "/var/lib/api", "subPath": "db"}),
        &format!("mounts as configured: {mounts}"),
    )?;
    let made = claim(ns, "api-data")?.ok_or_else(|| tf::Error::assertion("claim api-data missing"))?;
    let spec = serde_json::to_value(made.spec).unwrap_or_default();
    expect(
        spec["storageClassName"] == class && spec["accessModes"] == json!(["ReadWriteOnce"]),
        &format!("the claim hub made: {spec}"),
    )
}

/// Every volume kind, and the claim's life: created, grown, refused when shrunk, kept when the app goes.
#[test]
fn acc_app_volumes_and_a_claim_that_keeps_its_data() -> tf::Result<()> {
    tf::for_each_cli(|cli| {
        let scope = Scope::new("app-vol");
        let ns = scope.name("apps");
        let class = scope.name("expandable");
        storage(&class)?;
        let config = |file: &str, size: &str| {
            fixture_config(
                &format!("app/{file}"),
                &[
                    ("namespace", ns.as_str()),
                    ("size", size),
                    ("storage_class", class.as_str()),
                ],
            )
        };
        let (make_ns, check_ns, grown_ns, kept_ns, bound_ns) =
            (ns.clone(), ns.clone(), ns.clone(), ns.clone(), ns.clone());
        let (check_class, shared_class) = (class.clone(), class.clone());
        let result = TestCase::new()
            .step(Step::new(config("pod_1_namespace.tf", "1Gi")))
            .step(
                Step::new(config("volumes_2_create.tf", "1Gi"))
                    .pre_config(move || {
                        create::<Secret>(
                            Some(&make_ns),
                            json!({"metadata": {"name": "tls"}, "data": {"tls.crt": "Y2VydA=="}}),
                        )?;
                        create::<ConfigMap>(
                            Some(&make_ns),
                            json!({"metadata": {"name": "flags"}, "data": {"a": "1"}}),
                        )?;
                        create::<PersistentVolumeClaim>(
                            Some(&make_ns),
                            json!({"metadata": {"name": "shared"}, "spec": {"accessModes": ["ReadWriteOnce"],
                                "storageClassName": shared_class, "resources": {"requests": {"storage": "1Gi"}}}}),
                        )
                    })
                    .plan_check(|plan| {
                        let rc = plan.resource_change("hub_app.api")?;
                        rc.expect_actions(&[Action::Create])?;
                        let rendered = rc.after("rendered").cloned().unwrap_or_default();
                        expect(
                            rendered.get("PersistentVolumeClaim/api-data").is_some(),
                            "the claim is planned as an object of its own",
                        )
                    })
                    .check(move |_: &tf::State| check_volumes(&check_ns, &check_class))
                    .import_verify("hub_app.api", ImportId::Attribute("id".into()), &unverifiable())
                    .import_check(rendered_is_contained),
            )
            .step(
                // A bound claim grows in place.
                Step::new(config("volumes_2_create.tf", "2Gi"))
                    .pre_config(move || wait_bound(&bound_ns))
                    .plan_check(|plan| {
                        plan.resource_change("hub_app.api")?
                            .expect_actions(&[Action::Update])
                            .map(drop)
                    })
                    .check(move |_: &tf::State| {
                        let c = claim(&grown_ns, "api-data")?.and_then(|c| c.spec?.resources?.requests);
                        let size = c.and_then(|r| r.get("storage").map(|q| q.0.clone()));
                        expect(
                            size.as_deref() == Some("2Gi"),
                            &format!("the claim grew to 2Gi: {size:?}"),
                        )
                    }),
            )
            .step(
                // It never shrinks: refused at plan, nothing written.
                Step::new(config("volumes_2_create.tf", "1Gi")).expect_error(
                    DiagMatch::error()
                        .summary("Claim Cannot Shrink")
                        .detail("never shrinks"),
                ),
            )
            .step(
                // The app goes, its claim and data stay, no longer hub's.
                Step::new(config("pod_1_namespace.tf", "2Gi"))
                    .plan_check(|plan| {
                        plan.resource_change("hub_app.api")?.expect_actions(&[Action::Delete])?;
                        plan.diagnostics
                            .expect(&DiagMatch::warning().summary("Claim Kept").detail("api-data"))
                            .map(drop)
                    })
                    .check(move |_: &tf::State| {
                        let kept = claim(&kept_ns, "api-data")?;
                        let annotations = kept
                            .as_ref()
                            .and_then(|c| c.metadata.annotations.clone())
                            .unwrap_or_default();
                        expect(
                            kept.is_some_and(|c| c.metadata.deletion_timestamp.is_none())
                                && !annotations.contains_key("hub.io/instance"),
                            &format!("claim api-data kept without hub's mark: {annotations:?}"),
                        )
                    }),
            )
            .run(cli);
        result.and(remove_storage(&class))
    })
}
