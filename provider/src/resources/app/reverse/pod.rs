//! The Deployment's rollout and scheduling settings: `replicas`, `max_surge`, `max_unavailable`,
//! `zone_spread`, `node_selector`, `tolerations`, `priority_class_name`, `termination_grace_period_seconds`.

use serde_json::Value as Json;

use super::super::model::{AppModel, Toleration};
use super::live::{self, Live};
use crate::value::Tf;

/// `replicas` (null while an HPA owns the count: the plan's default then), `max_surge`, `max_unavailable`.
pub(super) fn rollout(live: &Live, app: &mut AppModel) {
    let Some(spec) = live.object("Deployment").and_then(|d| d.get("spec")) else {
        return;
    };
    if live.object("HorizontalPodAutoscaler").is_none() {
        app.replicas = live::int(spec.get("replicas"));
    }
    let rolling = spec.pointer("/strategy/rollingUpdate");
    app.max_surge = live::int_or_string(rolling.and_then(|r| r.get("maxSurge")));
    app.max_unavailable = live::int_or_string(rolling.and_then(|r| r.get("maxUnavailable")));
}

/// `zone_spread`, `node_selector`, `tolerations`, `priority_class_name`, `termination_grace_period_seconds`.
pub(super) fn scheduling(live: &Live, app: &mut AppModel) {
    let Some(pod) = live.pod() else { return };
    let zone = |v: Option<&Json>| {
        v.and_then(Json::as_array).into_iter().flatten().any(|c| {
            c.pointer("/topologyKey")
                .or_else(|| c.pointer("/podAffinityTerm/topologyKey"))
                == Some(&Json::from("topology.kubernetes.io/zone"))
        })
    };
    let spread = if zone(pod.get("topologySpreadConstraints")) {
        Some("topology")
    } else if zone(pod.pointer("/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution")) {
        Some("anti_affinity")
    } else {
        // Without hub's pod defaults no spreading is the default.
        app.hub_pod_defaults().then_some("none")
    };
    app.zone_spread = Tf::from_option(spread.map(str::to_owned));
    app.node_selector = live::user_map(live::string_map(pod.get("nodeSelector")));
    let tolerations: Vec<Tf<Toleration>> = pod
        .get("tolerations")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .map(|t| {
            Tf::Known(Toleration {
                key: live::string(t.get("key")),
                operator: live::string(t.get("operator")),
                value: live::string(t.get("value")),
                effect: live::string(t.get("effect")),
            })
        })
        .collect();
    app.tolerations = if tolerations.is_empty() {
        Tf::Null
    } else {
        Tf::Known(tolerations)
    };
    app.priority_class_name = live::string(pod.get("priorityClassName"));
    app.termination_grace_period_seconds = live::int(pod.get("terminationGracePeriodSeconds"));
}
