//! Seed 001's umbrella chart, as `helm install` leaves it, adopted by a `hub_app`.

use hub_acceptance::sandbox::Scope;
use hub_acceptance::support::{delete_namespace, expect, wait_until, with_kube};
use hub_acceptance::tf::{self, Cli};
use kube::api::{Api, ApiResource, DynamicObject};
use serde_json::{Value as Json, json};
use std::time::Duration;

use super::{
    Tool, bare_pods, changed, create, discovered, generate, manifests, replica_sets, replicas_null, resource, uids_now,
    warning, with_setting, without,
};

/// The chart's objects for `release` in `ns`, with Helm's labels, annotations and selector.
fn chart(ns: &str, release: &str) -> Vec<Json> {
    let selector = json!({"app.kubernetes.io/name": "api-service", "app.kubernetes.io/instance": release});
    let mut labels = selector.clone();
    labels["helm.sh/chart"] = json!("my-apps-0.1.0");
    labels["app.kubernetes.io/version"] = json!("1.0");
    labels["app.kubernetes.io/managed-by"] = json!("Helm");
    let annotations = json!({"meta.helm.sh/release-name": release, "meta.helm.sh/release-namespace": ns});
    manifests("helm_seed_001.json", &labels, &annotations, &selector).0
}

/// How the user lets hub take the fields Helm holds, in the generated configuration.
#[derive(Clone, Copy, PartialEq)]
enum Allow {
    /// `force_conflicts = true`: Helm's marks stay.
    ForceConflicts,
    /// `adopt_from_helm = true`: Helm's marks go, its release records stay.
    AdoptFromHelm,
}

/// What the first plan after the import says, and what the apply then does.
struct Expected<'a> {
    /// A warning summary about the running pods, when the apply rolls them (none: the ReplicaSet stays).
    pods: Option<&'a str>,
    /// The objects made again.
    remade: &'a [&'a str],
    /// The user takes `pod_selector` out of the generated configuration (hub's selector instead).
    drop_pod_selector: bool,
}

/// A release record's payload, base64 as stored, and its text.
const PAYLOAD: &str = "UkVDT1JELVBBWUxPQUQtZG8tbm90LXNob3c=";
const PAYLOAD_TEXT: &str = "RECORD-PAYLOAD-do-not-show";

/// A Helm release record as `helm install` writes it (its payload stands in for the release's manifest,
/// which holds the chart's Secret values: it must never be read or shown).
fn release_record(release: &str) -> Json {
    json!({"apiVersion": "v1", "kind": "Secret", "type": "helm.sh/release.v1",
        "metadata": {"name": format!("sh.helm.release.v1.{release}.v1"),
            "labels": {"owner": "helm", "name": release, "status": "deployed", "version": "1"}},
        "data": {"release": PAYLOAD}})
}

/// Labels and annotations of `Kind/name` keys, and the Deployment's `spec.replicas`, now.
fn marks_now(ns: &str, objects: &[Json]) -> tf::Result<(Vec<Json>, Option<i64>)> {
    let ns = ns.to_owned();
    let resources: Vec<(String, ApiResource)> = objects
        .iter()
        .map(|o| {
            (
                o["metadata"]["name"].as_str().unwrap_or_default().to_owned(),
                resource(o),
            )
        })
        .collect();
    with_kube(|c| async move {
        let mut marks = Vec::new();
        let mut replicas = None;
        for (name, ar) in resources {
            let live = Api::<DynamicObject>::namespaced_with(c.clone(), &ns, &ar)
                .get(&name)
                .await?;
            if ar.kind == "Deployment" {
                replicas = live.data["spec"]["replicas"].as_i64();
            }
            marks.push(
                json!({"kind": ar.kind, "labels": live.metadata.labels, "annotations": live.metadata.annotations}),
            );
        }
        Ok((marks, replicas))
    })
}

/// Seed 001's chart as Helm leaves it (installed as `release`, with its release record), imported under
/// `cli` with generated configuration: the generated file holds none of Helm's marks and is valid beside
/// the HPA; the plan refuses to take Helm's fields silently, and once the user allows it (`allow`), says
/// what the apply does to the running pods and to Helm's marks. The apply does exactly that, and re-plans
/// empty; the release record is never touched or shown.
fn adopt_helm(cli: &Cli, release: &str, allow: Allow, expected: Expected<'_>) -> tf::Result<()> {
    let ns = Scope::new("adopt-helm").name("apps");
    let objects = chart(&ns, release);
    let mut made = objects.clone();
    made.push(release_record(release));
    let before = create(&ns, Tool::Helm, made)?;
    let before = &before[..objects.len()];
    let result = (|| {
        let sets = wait_until(Duration::from_secs(60), "the Deployment's ReplicaSet", || {
            replica_sets(&ns).ok().filter(|s| !s.is_empty())
        });
        // Discovery finds the app, its objects and its release, and never lists the release record.
        let found = discovered(&ns)?;
        for part in [
            "to = hub_app.api_service".to_owned(),
            format!("id = \"{ns}/api-service\""),
            "Service api-service".to_owned(),
            "HorizontalPodAutoscaler api-service".to_owned(),
            release.to_owned(),
        ] {
            expect(found.contains(&part), &format!("discovery writes {part:?}:\n{found}"))?;
        }
        expect(
            !found.contains("sh.helm.release"),
            &format!("the release record is no app's object:\n{found}"),
        )?;
        let (ws, out, generated) = generate(
            cli,
            "api_service",
            &format!("{ns}/api-service"),
            &[PAYLOAD, PAYLOAD_TEXT],
        )?;
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
        replicas_null(&generated)?;
        if release != "api-service" {
            expect(
                generated.contains(&format!("\"app.kubernetes.io/instance\" = \"{release}\"")),
                &format!("the Deployment's selector is read back as pod_selector:\n{generated}"),
            )?;
        }
        let generated = if expected.drop_pod_selector {
            without(&generated, "pod_selector")
        } else {
            generated
        };
        let setting = match allow {
            Allow::ForceConflicts => "force_conflicts = true",
            Allow::AdoptFromHelm => "adopt_from_helm = true",
        };
        let allowed = with_setting(&generated, setting);
        ws.write("generated.tf", &allowed)?;
        let plan = ws.plan()?;
        match expected.pods {
            Some(summary) => expect(
                warning(&plan, summary).contains("api-service"),
                &format!("the plan warns {summary:?}: {:?}", plan.diagnostics),
            )?,
            None => {
                bare_pods(&generated)?;
                for summary in ["Adoption Restarts The Pods", "Adoption May Restart The Pods"] {
                    expect(
                        warning(&plan, summary).is_empty(),
                        &format!("no {summary:?}: {:?}", plan.diagnostics),
                    )?;
                }
            }
        }
        let records = warning(&plan, "Helm Release Records Stay");
        expect(
            records.contains(&format!("sh.helm.release.v1.{release}.v1"))
                && records.contains(&format!("-l owner=helm,name={release}")),
            &format!("the plan names the release records and how to delete them: {records:?}"),
        )?;
        let helm = match allow {
            Allow::ForceConflicts => "Objects Still Marked By Helm",
            Allow::AdoptFromHelm => "Objects Taken From Helm",
        };
        let said = warning(&plan, helm);
        expect(
            said.contains("Deployment/api-service (helm.sh/chart, app.kubernetes.io/managed-by=Helm")
                && said.contains("ConfigMap/api-service-config"),
            &format!("the plan warns {helm:?} per object: {said:?}"),
        )?;
        let change = plan.resource_change("hub_app.api_service")?;
        let replaced = change.json()["change"]["after"]["replacements"]["Deployment/api-service"].is_string();
        expect(
            replaced != expected.remade.is_empty(),
            "the plan lists the Deployment under replacements exactly when it is made again",
        )?;
        let applied = ws.apply_plan()?.ok()?;
        expect(
            !format!("{}{}{}", plan.json(), applied.stdout, applied.stderr).contains(PAYLOAD),
            "the release record's payload is never shown",
        )?;
        let replan = ws.plan()?;
        replan.expect_empty()?;
        if allow == Allow::AdoptFromHelm {
            let again = warning(&replan, "Objects Taken From Helm");
            expect(
                again.is_empty(),
                &format!("nothing is left to take from Helm: {again:?}"),
            )?;
            let reapplied = ws.apply()?.ok()?;
            expect(
                !format!("{}{}", reapplied.stdout, reapplied.stderr).contains("Fields Taken Over"),
                "a second apply takes nothing over",
            )?;
        }
        let after = uids_now(&ns, before, &objects)?;
        expect(
            changed(before, &after) == expected.remade,
            &format!(
                "made again: {:?}, expected {:?}",
                changed(before, &after),
                expected.remade
            ),
        )?;
        let rolled = replica_sets(&ns)? != sets;
        expect(
            rolled == expected.pods.is_some(),
            &format!("the pods were rolled out again ({rolled}) exactly when the plan said so"),
        )?;
        let (marks, replicas) = marks_now(&ns, &objects)?;
        let text = serde_json::to_string(&marks).unwrap_or_default();
        let gone = !text.contains("helm.sh/chart") && !text.contains("meta.helm.sh/") && !text.contains("\"Helm\"");
        expect(
            gone == (allow == Allow::AdoptFromHelm),
            &format!("Helm's marks are gone exactly with adopt_from_helm: {text}"),
        )?;
        expect(
            replicas == Some(4),
            &format!("the Deployment kept its count (4, above the HPA's minimum of 2): {replicas:?}"),
        )?;
        let record = release_record(release);
        expect(
            uids_now(
                &ns,
                &[(format!("Secret/sh.helm.release.v1.{release}.v1"), String::new())],
                &[record],
            )
            .is_ok(),
            "the release record is still there",
        )?;
        ws.run(&["state", "rm", "hub_app.api_service"])?.ok()?;
        Ok(())
    })();
    let deleted = delete_namespace(&ns);
    result.and(deleted)
}

/// The chart's instance label names the release (`dev-apps`), not the app: import reads the Deployment's
/// selector back as `pod_selector` and the pods as they are (`pod_defaults = "none"`), so the Deployment
/// and its ReplicaSet are kept: no pod restarts.
#[test]
fn acc_helm_chart_adopted_without_replacing_its_deployment() -> tf::Result<()> {
    tf::for_each_listed(vec![tf::opentofu()?, Cli::terraform_new()?], |cli| {
        let expected = Expected {
            pods: None,
            remade: &[],
            drop_pod_selector: false,
        };
        adopt_helm(cli, "dev-apps", Allow::ForceConflicts, expected)
    })
}

/// Without `pod_selector` hub's selector differs from the Deployment's, which cannot change in place: the
/// plan says the Deployment is replaced, and it is.
#[test]
fn acc_helm_chart_adoption_says_it_replaces_the_deployment() -> tf::Result<()> {
    tf::for_each_listed(vec![tf::opentofu()?, Cli::terraform_new()?], |cli| {
        let expected = Expected {
            pods: Some("Adoption Replaces The Deployment"),
            remade: &["Deployment/api-service"],
            drop_pod_selector: true,
        };
        adopt_helm(cli, "dev-apps", Allow::ForceConflicts, expected)
    })
}

/// Released under the app's own name (hub's selector): `adopt_from_helm` removes Helm's marks, as the plan
/// says, and keeps every object and the ReplicaSet (the chart puts no mark on its pods).
#[test]
fn acc_helm_chart_adopted_from_helm_keeps_its_objects() -> tf::Result<()> {
    tf::for_each_listed(vec![tf::opentofu()?, Cli::terraform_new()?], |cli| {
        let expected = Expected {
            pods: None,
            remade: &[],
            drop_pod_selector: false,
        };
        adopt_helm(cli, "api-service", Allow::AdoptFromHelm, expected)
    })
}
