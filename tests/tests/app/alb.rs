//! Issue 20's rollouts behind an ALB and autoscaling beyond CPU and memory, on a live cluster under every
//! CLI: graceful shutdown on by default with an ingress (the plan shows its settings; the pods get a
//! `preStop` sleep and a grace period that outlasts it, the Ingress the matching deregistration delay merged
//! into the user's target group attributes), the namespace labelled for the controller's readiness gate, and
//! an HPA holding external, pods and object metrics. Every step is applied as planned, its pods Ready,
//! re-planned empty, and imported without a change.

use std::time::Duration;

use hub_acceptance::sandbox::Scope;
use hub_acceptance::support::{expect, fixture_config, with_kube};
use hub_acceptance::tf::{self, Action, ImportId, Step, TestCase};
use hub_acceptance::wait::wait_for;
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler;
use k8s_openapi::api::core::v1::{Namespace, Pod};
use k8s_openapi::api::networking::v1::Ingress;
use kube::Api;
use kube::api::ListParams;
use serde_json::{Value, json};

use super::unverifiable::{rendered_is_contained, unverifiable};

const TARGET_GROUP_ATTRIBUTES: &str = "alb.ingress.kubernetes.io/target-group-attributes";

/// The live objects, as JSON: (Deployment, Ingress, HPA, Namespace).
fn live(ns: &str) -> tf::Result<(Value, Value, Value, Value)> {
    let ns = ns.to_owned();
    let (d, i, h, n) = with_kube(|c| async move {
        let d = Api::<Deployment>::namespaced(c.clone(), &ns).get("api").await?;
        let i = Api::<Ingress>::namespaced(c.clone(), &ns).get("api").await?;
        let h = Api::<HorizontalPodAutoscaler>::namespaced(c.clone(), &ns)
            .get("api")
            .await?;
        let n = Api::<Namespace>::all(c).get(&ns).await?;
        Ok((d, i, h, n))
    })?;
    let json = |v: serde_json::Result<Value>| v.unwrap_or_default();
    Ok((
        json(serde_json::to_value(d)),
        json(serde_json::to_value(i)),
        json(serde_json::to_value(h)),
        json(serde_json::to_value(n)),
    ))
}

/// Every pod of the app is Ready (kwok reports it once the pod is scheduled; the HPA may still be adding
/// pods), waited for.
fn pods_ready(ns: &str) {
    let ready = |p: &Pod| {
        p.status
            .as_ref()
            .and_then(|s| s.conditions.as_ref())
            .is_some_and(|c| c.iter().any(|c| c.type_ == "Ready" && c.status == "True"))
    };
    wait_for(Duration::from_secs(60), "every pod of the app Ready", || {
        let ns = ns.to_owned();
        let pods = with_kube(|c| async move {
            Api::<Pod>::namespaced(c, &ns)
                .list(&ListParams::default().labels("app.kubernetes.io/name=api"))
                .await
        })
        .map_err(|e| e.to_string())?;
        let live: Vec<&Pod> = pods
            .items
            .iter()
            .filter(|p| p.metadata.deletion_timestamp.is_none())
            .collect();
        let waiting = live.iter().filter(|p| !ready(p)).count();
        if !live.is_empty() && waiting == 0 {
            Ok(())
        } else {
            Err(format!("{waiting} of {} pods not Ready", live.len()))
        }
    });
}

/// The pods' `preStop` hook and grace period, the Ingress's target group attributes, the HPA's metrics
/// (after CPU) and the namespace's readiness gate label, as `expected`.
fn check_live(ns: &str, pre_stop: &Value, grace: i64, attributes: &str, metric_types: &[&str]) -> tf::Result<()> {
    let (d, i, h, n) = live(ns)?;
    let pod = &d["spec"]["template"]["spec"];
    expect(
        pod["containers"][0]["lifecycle"]["preStop"] == *pre_stop && pod["terminationGracePeriodSeconds"] == grace,
        &format!(
            "preStop {pre_stop} and grace {grace}: {} / {}",
            pod["containers"][0]["lifecycle"], pod["terminationGracePeriodSeconds"]
        ),
    )?;
    let annotation = &i["metadata"]["annotations"][TARGET_GROUP_ATTRIBUTES];
    expect(
        annotation == attributes,
        &format!("target group attributes {attributes}: {annotation}"),
    )?;
    let types: Vec<&str> = h["spec"]["metrics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|m| m["type"].as_str())
        .collect();
    expect(
        types == metric_types,
        &format!("HPA metrics {metric_types:?}: {types:?}"),
    )?;
    let external = &h["spec"]["metrics"][1]["external"];
    expect(
        *external
            == json!({"metric": {"name": "sqs_messages_visible", "selector": {"matchLabels": {"queue": "orders"}}},
                "target": {"type": "AverageValue", "averageValue": "30"}}),
        &format!("the external metric as configured: {external}"),
    )?;
    let label = &n["metadata"]["labels"]["elbv2.k8s.aws/pod-readiness-gate-inject"];
    expect(label == "enabled", &format!("the readiness gate label: {label}"))?;
    pods_ready(ns);
    Ok(())
}

#[test]
fn acc_app_alb_graceful_shutdown_and_external_metrics() -> tf::Result<()> {
    tf::for_each_cli(|cli| {
        let ns = Scope::new("app-alb").name("apps");
        let vars = [("namespace", ns.as_str())];
        let (first, second) = (ns.clone(), ns.clone());
        TestCase::new()
            .step(
                Step::new(fixture_config("app/alb_1_create.tf", &vars))
                    .plan_check(|plan| {
                        // The defaults are in the plan, before anything is applied.
                        plan.resource_change("hub_app.api")?
                            .expect_actions(&[Action::Create])?
                            .expect_after("ingress.graceful_shutdown.enabled", json!(true))?
                            .expect_after("ingress.graceful_shutdown.deregistration_delay_seconds", json!(30))?
                            .expect_after("ingress.graceful_shutdown.pre_stop_sleep_seconds", json!(40))?
                            .expect_after("ingress.graceful_shutdown.pre_stop", json!("sleep"))?
                            .expect_after("termination_grace_period_seconds", json!(70))?;
                        Ok(())
                    })
                    .check(move |_: &tf::State| {
                        check_live(
                            &first,
                            &json!({"sleep": {"seconds": 40}}),
                            70,
                            "stickiness.enabled=true,deregistration_delay.timeout_seconds=30",
                            &["Resource", "External", "Pods", "Object"],
                        )
                    })
                    .import_verify("hub_app.api", ImportId::Attribute("id".into()), &unverifiable())
                    .import_check(rendered_is_contained)
                    .import_plans_no_change("hub_app.api", ImportId::Attribute("id".into())),
            )
            .step(
                Step::new(fixture_config("app/alb_2_tuned.tf", &vars))
                    .plan_check(|plan| {
                        plan.resource_change("hub_app.api")?
                            .expect_actions(&[Action::Update])?
                            .expect_after("ingress.graceful_shutdown.pre_stop_sleep_seconds", json!(70))?
                            .expect_after("ingress.graceful_shutdown.pre_stop", json!("exec"))?
                            .expect_after("termination_grace_period_seconds", json!(120))?;
                        Ok(())
                    })
                    .check(move |_: &tf::State| {
                        check_live(
                            &second,
                            &json!({"exec": {"command": ["sleep", "70"]}}),
                            120,
                            "stickiness.enabled=true,deregistration_delay.timeout_seconds=60",
                            &["Resource", "External", "Object"],
                        )
                    })
                    .import_verify("hub_app.api", ImportId::Attribute("id".into()), &unverifiable())
                    .import_plans_no_change("hub_app.api", ImportId::Attribute("id".into())),
            )
            .run(cli)
    })
}
