//! `node_spread`, `node_affinity`, `image_pull_secrets` and `runtime_class_name`: where the pods run and how
//! their image is pulled.

use serde_json::Value as Json;

use super::super::model::{AppModel, MatchExpression, NodeAffinity, NodeTerm, PreferredNodeTerm};
use super::live::{self, Live};
use crate::value::Tf;

const HOSTNAME: &str = "kubernetes.io/hostname";

fn on_hostname(list: Option<&Json>) -> bool {
    list.and_then(Json::as_array).into_iter().flatten().any(|term| {
        term.get("topologyKey")
            .or_else(|| term.pointer("/podAffinityTerm/topologyKey"))
            .and_then(Json::as_str)
            == Some(HOSTNAME)
    })
}

fn some_list<T>(list: Vec<T>) -> Tf<Vec<T>> {
    if list.is_empty() { Tf::Null } else { Tf::Known(list) }
}

fn expressions(term: &Json) -> Tf<Vec<Tf<MatchExpression>>> {
    let list = term
        .get("matchExpressions")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .map(|e| {
            Tf::Known(MatchExpression {
                key: live::string(e.get("key")),
                operator: live::string(e.get("operator")),
                values: live::user_list(e.get("values")),
            })
        })
        .collect();
    some_list(list)
}

fn node_affinity(pod: &Json) -> Tf<NodeAffinity> {
    let Some(node) = pod.pointer("/affinity/nodeAffinity") else {
        return Tf::Null;
    };
    let required = node
        .pointer("/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .map(|t| {
            Tf::Known(NodeTerm {
                match_expressions: expressions(t),
            })
        })
        .collect();
    let preferred = node
        .get("preferredDuringSchedulingIgnoredDuringExecution")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .map(|t| {
            Tf::Known(PreferredNodeTerm {
                weight: live::int(t.get("weight")),
                match_expressions: t.get("preference").map_or(Tf::Null, expressions),
            })
        })
        .collect();
    Tf::Known(NodeAffinity {
        required: some_list(required),
        preferred: some_list(preferred),
    })
}

/// `node_spread`, `node_affinity`, `image_pull_secrets`, `runtime_class_name`.
pub(super) fn placement(live: &Live, app: &mut AppModel) {
    let Some(pod) = live.pod() else { return };
    let anti = |field: &str| on_hostname(pod.pointer(&format!("/affinity/podAntiAffinity/{field}")));
    app.node_spread = Tf::from_option(
        if on_hostname(pod.get("topologySpreadConstraints")) {
            Some("topology")
        } else if anti("preferredDuringSchedulingIgnoredDuringExecution") {
            Some("anti_affinity")
        } else if anti("requiredDuringSchedulingIgnoredDuringExecution") {
            Some("one_per_node")
        } else {
            None
        }
        .map(str::to_owned),
    );
    app.node_affinity = node_affinity(pod);
    let pull_secrets = pod
        .get("imagePullSecrets")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .filter_map(|s| Some(Tf::Known(s.get("name")?.as_str()?.to_owned())))
        .collect();
    app.image_pull_secrets = some_list(pull_secrets);
    app.runtime_class_name = live::string(pod.get("runtimeClassName"));
}
