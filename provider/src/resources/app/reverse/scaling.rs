//! `autoscaling` (the HPA) and `disruption_budget` (the PDB). HPA behaviour the API server filled in
//! (its default policies and select policy) is not a setting and reads back null.

use serde_json::Value as Json;

use super::super::model::{AppModel, Autoscaling, DisruptionBudget, ScalingPolicy};
use super::live::{self, Live};
use crate::value::Tf;

const HPA: &str = "HorizontalPodAutoscaler";

/// `autoscaling`: null when the app has no HPA.
pub(super) fn autoscaling(live: &Live, app: &mut AppModel) {
    let Some(spec) = live.object(HPA).and_then(|h| h.get("spec")) else {
        return;
    };
    let target = |name: &str| {
        Tf::from_option(
            spec.get("metrics")
                .and_then(Json::as_array)
                .into_iter()
                .flatten()
                .find(|m| m.pointer("/resource/name").and_then(Json::as_str) == Some(name))
                .and_then(|m| m.pointer("/resource/target/averageUtilization"))
                .and_then(Json::as_i64),
        )
    };
    let rules = |direction: &str| spec.pointer(&format!("/behavior/{direction}"));
    let set = |direction: &str, field: &str| live.set_by_someone(HPA, &["spec", "behavior", direction, field]);
    let policies = |direction: &str| {
        let list: Vec<Tf<ScalingPolicy>> = rules(direction)
            .and_then(|r| r.get("policies"))
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
            .map(|p| {
                Tf::Known(ScalingPolicy {
                    kind: live::string(p.get("type")),
                    value: live::int(p.get("value")),
                    period_seconds: live::int(p.get("periodSeconds")),
                })
            })
            .collect();
        if list.is_empty() || !set(direction, "policies") {
            Tf::Null
        } else {
            Tf::Known(list)
        }
    };
    let select = |direction: &str| {
        let v = live::string(rules(direction).and_then(|r| r.get("selectPolicy")));
        if set(direction, "selectPolicy") { v } else { Tf::Null }
    };
    let window = |direction: &str| live::int(rules(direction).and_then(|r| r.get("stabilizationWindowSeconds")));
    app.autoscaling = Tf::Known(Autoscaling {
        min_replicas: live::int(spec.get("minReplicas")),
        max_replicas: live::int(spec.get("maxReplicas")),
        cpu_percent: target("cpu"),
        memory_percent: target("memory"),
        scale_down_stabilization_seconds: window("scaleDown"),
        scale_up_stabilization_seconds: window("scaleUp"),
        scale_down_policies: policies("scaleDown"),
        scale_up_policies: policies("scaleUp"),
        scale_down_select_policy: select("scaleDown"),
        scale_up_select_policy: select("scaleUp"),
        metrics: super::super::metrics::read(spec),
    });
}

/// `disruption_budget`: null when the app has no PDB.
pub(super) fn disruption_budget(live: &Live, app: &mut AppModel) {
    let Some(spec) = live.object("PodDisruptionBudget").and_then(|p| p.get("spec")) else {
        return;
    };
    app.disruption_budget = Tf::Known(DisruptionBudget {
        min_available: live::int_or_string(spec.get("minAvailable")),
        max_unavailable: live::int_or_string(spec.get("maxUnavailable")),
    });
}
