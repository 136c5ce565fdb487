//! The grouping, on inventories built from JSON: no cluster.

use serde_json::{Value, json};

use super::group::{Groups, group, helm_release};
use super::inventory::Inventory;

fn from<T: serde::de::DeserializeOwned>(v: Value) -> T {
    serde_json::from_value(v).expect("valid object")
}

fn deployment(name: &str, labels: Value, pod: Value) -> Value {
    json!({"metadata": {"name": name, "labels": labels},
        "spec": {"selector": {"matchLabels": labels}, "template": {"metadata": {"labels": labels}, "spec": pod}}})
}

/// A namespace as a plain manifest set would leave it: two apps, their objects, a StatefulSet.
fn shop() -> Inventory {
    Inventory {
        namespace: "shop".into(),
        deployments: vec![
            from(deployment(
                "api",
                json!({"app": "api"}),
                json!({"serviceAccountName": "api-sa", "containers": [{"name": "api",
                    "envFrom": [{"configMapRef": {"name": "api-settings"}}, {"secretRef": {"name": "api-creds"}}]}]}),
            )),
            from(deployment(
                "web",
                json!({"app": "web", "tier": "front"}),
                json!({"containers": [{"name": "web"}]}),
            )),
        ],
        services: vec![
            from(json!({"metadata": {"name": "api"}, "spec": {"selector": {"app": "api"}}})),
            from(json!({"metadata": {"name": "web"}, "spec": {"selector": {"app": "web"}}})),
            from(json!({"metadata": {"name": "db"}, "spec": {"selector": {"app": "db"}}})),
        ],
        ingresses: vec![from(
            json!({"metadata": {"name": "public"}, "spec": {"rules": [{"http": {"paths": [
            {"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "web", "port": {"number": 80}}}}]}}]}}),
        )],
        hpas: vec![from(json!({"metadata": {"name": "api-hpa"}, "spec": {"maxReplicas": 3,
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "api"}}}))],
        pdbs: vec![from(
            json!({"metadata": {"name": "web-pdb"}, "spec": {"selector": {"matchLabels": {"app": "web"}}}}),
        )],
        config_maps: vec![
            from(json!({"metadata": {"name": "api-settings"}})),
            from(json!({"metadata": {"name": "kube-root-ca.crt"}})),
            from(json!({"metadata": {"name": "stray"}})),
        ],
        secrets: vec![
            from(json!({"name": "api-creds"})),
            from(json!({"name": "sh.helm.release.v1.shop.v1"})),
        ],
        service_accounts: vec![
            from(json!({"metadata": {"name": "api-sa"}})),
            from(json!({"metadata": {"name": "default"}})),
        ],
        network_policies: vec![from(
            json!({"metadata": {"name": "deny-all"}, "spec": {"podSelector": {}}}),
        )],
        stateful_sets: vec![from(
            json!({"metadata": {"name": "db"}, "spec": {"selector": {}, "serviceName": "db",
            "template": {}}}),
        )],
        jobs: vec![
            from(json!({"metadata": {"name": "seed"}, "spec": {"template": {}}})),
            from(
                json!({"metadata": {"name": "nightly-1", "ownerReferences": [{"apiVersion": "batch/v1",
                "kind": "CronJob", "name": "nightly", "uid": "u"}]}, "spec": {"template": {}}}),
            ),
        ],
        ..Inventory::default()
    }
}

fn members(groups: &Groups, app: &str) -> Vec<String> {
    let app = groups.apps.iter().find(|a| a.name == app).expect("app");
    app.members
        .iter()
        .map(|m| format!("{}/{}: {}", m.kind, m.name, m.why))
        .collect()
}

#[test]
fn objects_join_the_app_whose_pods_they_select_scale_or_reference() {
    let g = group(&shop());
    assert_eq!(
        members(&g, "api"),
        [
            "Service/api: selects its pods",
            "HorizontalPodAutoscaler/api-hpa: scales it",
            "ConfigMap/api-settings: referenced by the pod template",
            "Secret/api-creds: referenced by the pod template",
            "ServiceAccount/api-sa: the pods run as it",
        ]
    );
    assert_eq!(
        members(&g, "web"),
        [
            "Service/web: selects its pods",
            "Ingress/public: routes to Service web",
            "PodDisruptionBudget/web-pdb: selects its pods",
        ]
    );
    assert_eq!(g.network_policies, ["deny-all"]);
}

#[test]
fn workloads_hub_does_not_map_and_leftovers_are_reported_without_bookkeeping() {
    let g = group(&shop());
    let unmapped: Vec<String> = g.unmapped.iter().map(|u| format!("{}/{}", u.kind, u.name)).collect();
    assert_eq!(
        unmapped,
        ["StatefulSet/db", "Job/seed"],
        "a CronJob's Job is not reported"
    );
    assert!(g.unmapped[0].why.contains("hub_app renders a Deployment"));
    let ungrouped: Vec<String> = g.ungrouped.iter().map(|u| format!("{}/{}", u.kind, u.name)).collect();
    // Not kube-root-ca.crt, the default ServiceAccount or Helm's release record.
    assert_eq!(ungrouped, ["Service/db", "ConfigMap/stray"]);
}

#[test]
fn helm_labels_group_what_no_selector_or_reference_ties() {
    let labels = json!({"app.kubernetes.io/name": "api", "app.kubernetes.io/instance": "shop",
        "app.kubernetes.io/managed-by": "Helm"});
    let mut d: Value = deployment("shop-api", labels.clone(), json!({"containers": [{"name": "api"}]}));
    d["metadata"]["annotations"] = json!({"meta.helm.sh/release-name": "shop"});
    let other = deployment(
        "shop-web",
        json!({"app.kubernetes.io/name": "web", "app.kubernetes.io/instance": "shop"}),
        json!({"containers": [{"name": "web"}]}),
    );
    let inv = Inventory {
        deployments: vec![from(d), from(other)],
        config_maps: vec![from(json!({"metadata": {"name": "shop-api-extra", "labels": labels}}))],
        // Same release, no name label: ambiguous between the two apps, so it joins neither.
        secrets: vec![from(
            json!({"name": "shop-shared", "labels": {"app.kubernetes.io/instance": "shop"}}),
        )],
        ..Inventory::default()
    };
    let g = group(&inv);
    assert_eq!(
        members(&g, "shop-api"),
        ["ConfigMap/shop-api-extra: labelled app.kubernetes.io/name=api, app.kubernetes.io/instance=shop"]
    );
    assert_eq!(g.apps[0].helm_release.as_deref(), Some("shop"));
    assert_eq!(helm_release(&from(g.apps[1].deployment["metadata"].clone())), None);
    assert_eq!(g.ungrouped.len(), 1);
}

#[test]
fn an_object_joins_one_app_only() {
    let inv = Inventory {
        deployments: vec![
            from(deployment(
                "a",
                json!({"app": "x", "v": "1"}),
                json!({"containers": []}),
            )),
            from(deployment(
                "b",
                json!({"app": "x", "v": "2"}),
                json!({"containers": []}),
            )),
        ],
        services: vec![from(
            json!({"metadata": {"name": "x"}, "spec": {"selector": {"app": "x"}}}),
        )],
        ..Inventory::default()
    };
    let g = group(&inv);
    assert_eq!(members(&g, "a"), ["Service/x: selects its pods"]);
    assert!(members(&g, "b").is_empty());
}
