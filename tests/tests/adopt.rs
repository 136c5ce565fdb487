//! Adoption of apps other tools made (issue 21): seed 001's chart as `helm install` leaves it, imported with
//! generated configuration. What the first apply will do to the running app (replace the Deployment, roll
//! its pods) is said by the plan before anything is written.

use hub_acceptance::sandbox::Scope;
use hub_acceptance::support::{expect, fixture, provider_block, wait_until, with_kube};
use hub_acceptance::tf::{self, Cli, Workspace};
use k8s_openapi::api::apps::v1::ReplicaSet;
use k8s_openapi::api::core::v1::Namespace;
use kube::api::{Api, ApiResource, DeleteParams, DynamicObject, GroupVersionKind, ListParams, PostParams};
use serde_json::{Value as Json, json};
use std::time::Duration;

/// The objects of fixture `adopt/<file>`, with Helm's labels, annotations and selector.
fn manifests(file: &str, ns: &str, release: &str) -> Vec<Json> {
    let selector = json!({"app.kubernetes.io/name": "api-service", "app.kubernetes.io/instance": release});
    let mut labels = selector.clone();
    labels["helm.sh/chart"] = json!("my-apps-0.1.0");
    labels["app.kubernetes.io/version"] = json!("1.0");
    labels["app.kubernetes.io/managed-by"] = json!("Helm");
    let annotations = json!({"meta.helm.sh/release-name": release, "meta.helm.sh/release-namespace": ns});
    let vars = [
        ("labels", labels.to_string()),
        ("annotations", annotations.to_string()),
        ("selector", selector.to_string()),
    ];
    let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let text = fixture(&format!("adopt/{file}"), &vars);
    let doc: Json = serde_json::from_str(&text).expect("fixture is JSON");
    doc["objects"].as_array().cloned().unwrap_or_default()
}

fn resource(object: &Json) -> ApiResource {
    let (group, version) = match object["apiVersion"].as_str().unwrap_or("v1").split_once('/') {
        Some((g, v)) => (g.to_owned(), v.to_owned()),
        None => (String::new(), object["apiVersion"].as_str().unwrap_or("v1").to_owned()),
    };
    let kind = object["kind"].as_str().unwrap_or_default();
    ApiResource::from_gvk(&GroupVersionKind::gvk(&group, &version, kind))
}

/// Creates the namespace and `objects` in it as `helm install` would (field manager `helm`). Returns every
/// object's `Kind/name` and UID.
fn create(ns: &str, objects: Vec<Json>) -> tf::Result<Vec<(String, String)>> {
    let ns = ns.to_owned();
    with_kube(|c| async move {
        let namespace: Namespace = serde_json::from_value(json!({"metadata": {"name": ns}})).expect("namespace");
        Api::<Namespace>::all(c.clone())
            .create(&PostParams::default(), &namespace)
            .await?;
        let params = PostParams {
            field_manager: Some("helm".to_owned()),
            ..PostParams::default()
        };
        let mut uids = Vec::new();
        for object in objects {
            let api: Api<DynamicObject> = Api::namespaced_with(c.clone(), &ns, &resource(&object));
            let made = api
                .create(&params, &serde_json::from_value(object).expect("object"))
                .await?;
            let kind = made.types.as_ref().map(|t| t.kind.clone()).unwrap_or_default();
            uids.push((
                format!("{kind}/{}", made.metadata.name.unwrap_or_default()),
                made.metadata.uid.unwrap_or_default(),
            ));
        }
        Ok(uids)
    })
}

/// The UIDs of `before`'s objects now.
fn uids_now(ns: &str, before: &[(String, String)], objects: &[Json]) -> tf::Result<Vec<(String, String)>> {
    let ns = ns.to_owned();
    let keys: Vec<(String, ApiResource)> = before
        .iter()
        .zip(objects)
        .map(|((key, _), o)| (key.clone(), resource(o)))
        .collect();
    with_kube(|c| async move {
        let mut out = Vec::new();
        for (key, ar) in keys {
            let name = key.split_once('/').map(|(_, n)| n).unwrap_or_default();
            let api: Api<DynamicObject> = Api::namespaced_with(c.clone(), &ns, &ar);
            out.push((key.clone(), api.get(name).await?.metadata.uid.unwrap_or_default()));
        }
        Ok(out)
    })
}

/// The names of the namespace's ReplicaSets.
fn replica_sets(ns: &str) -> tf::Result<Vec<String>> {
    let ns = ns.to_owned();
    with_kube(|c| async move {
        let mut names: Vec<String> = Api::<ReplicaSet>::namespaced(c, &ns)
            .list(&ListParams::default())
            .await?
            .items
            .into_iter()
            .filter_map(|rs| rs.metadata.name)
            .collect();
        names.sort();
        Ok(names)
    })
}

fn delete_namespace(ns: &str) -> tf::Result<()> {
    let ns = ns.to_owned();
    with_kube(|c| async move {
        Api::<Namespace>::all(c)
            .delete(&ns, &DeleteParams::background())
            .await
            .map(drop)
    })
}

/// The `Kind/name` keys whose UIDs changed between `before` and `after`.
fn changed(before: &[(String, String)], after: &[(String, String)]) -> Vec<String> {
    before
        .iter()
        .zip(after)
        .filter(|(b, a)| b != a)
        .map(|(b, _)| b.0.clone())
        .collect()
}

/// Seed 001's chart as Helm leaves it (installed as `release`), imported under `cli` with generated
/// configuration: the generated file holds none of Helm's marks and is valid beside the HPA; the plan
/// refuses to take Helm's fields silently, and once the user allows it (`force_conflicts`), says what the
/// apply does to the running pods: `expected` (a warning summary) and the objects made again `remade`.
/// The apply does exactly that, and re-plans empty.
fn adopt_helm(cli: &Cli, release: &str, expected: &str, remade: &[&str]) -> tf::Result<()> {
    let ns = Scope::new("adopt-helm").name("apps");
    let objects = manifests("helm_seed_001.json", &ns, release);
    let before = create(&ns, objects.clone())?;
    let result = (|| {
        let sets = wait_until(Duration::from_secs(60), "the Deployment's ReplicaSet", || {
            replica_sets(&ns).ok().filter(|s| !s.is_empty())
        });
        let ws = Workspace::new(cli)?;
        ws.config(&format!(
            "{}\nimport {{\n  to = hub_app.api_service\n  id = \"{ns}/api-service\"\n}}\n",
            provider_block("")
        ))?;
        let out = ws.run(&["plan", "-input=false", "-no-color", "-generate-config-out=generated.tf"])?;
        let generated = ws.read("generated.tf")?;
        expect(
            !out.success() && out.stderr.contains("Field Owned By Another Manager") && out.stderr.contains("\"helm\""),
            &format!("the plan refuses to take Helm's fields unasked:\n{}", out.stderr),
        )?;
        for mark in ["helm.sh/chart", "meta.helm.sh/", "Helm"] {
            expect(
                !generated.contains(mark),
                &format!("no {mark} in the generated file:\n{generated}"),
            )?;
        }
        expect(
            generated
                .lines()
                .any(|l| l.split_whitespace().collect::<Vec<_>>() == ["replicas", "=", "null"]),
            &format!("replicas is null beside autoscaling:\n{generated}"),
        )?;
        let allowed = generated.replacen("force_conflicts", "force_conflicts = true\n  # was:", 1);
        ws.write("generated.tf", &allowed)?;
        let plan = ws.plan()?;
        let warned = plan
            .diagnostics
            .0
            .iter()
            .any(|d| d.summary == expected && d.detail.contains("api-service"));
        expect(warned, &format!("the plan warns {expected:?}: {:?}", plan.diagnostics))?;
        let change = plan.resource_change("hub_app.api_service")?;
        let replaced = change.json()["change"]["after"]["replacements"]["Deployment/api-service"].is_string();
        expect(
            replaced != remade.is_empty(),
            "the plan lists the Deployment under replacements exactly when it is made again",
        )?;
        ws.apply_plan()?.ok()?;
        ws.plan()?.expect_empty()?;
        let after = uids_now(&ns, &before, &objects)?;
        expect(
            changed(&before, &after) == remade,
            &format!("made again: {:?}, expected {remade:?}", changed(&before, &after)),
        )?;
        expect(
            replica_sets(&ns)? != sets,
            "the pods were rolled out again, as the plan said",
        )?;
        ws.run(&["state", "rm", "hub_app.api_service"])?.ok()?;
        Ok(())
    })();
    let deleted = delete_namespace(&ns);
    result.and(deleted)
}

/// The chart's instance label names the release (`dev-apps`), not the app: hub's selector differs, and a
/// Deployment's selector cannot change in place.
#[test]
fn acc_helm_chart_adoption_says_it_replaces_the_deployment() -> tf::Result<()> {
    tf::for_each_listed(vec![tf::opentofu()?, Cli::terraform_new()?], |cli| {
        adopt_helm(
            cli,
            "dev-apps",
            "Adoption Replaces The Deployment",
            &["Deployment/api-service"],
        )
    })
}

/// Released under the app's own name, the selector is hub's: every object is kept, and the plan says the
/// pods roll (hub's template adds its hardening, `/tmp` volume and config checksum).
#[test]
fn acc_helm_chart_adoption_says_it_restarts_the_pods() -> tf::Result<()> {
    tf::for_each_listed(vec![tf::opentofu()?, Cli::terraform_new()?], |cli| {
        adopt_helm(cli, "api-service", "Adoption Restarts The Pods", &[])
    })
}
