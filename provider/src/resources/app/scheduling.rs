//! Scheduling and pulling settings of the pods beyond the zone spread: node spreading (`node_spread`), node
//! affinity, image pull secrets and the runtime class. Their checks, with attribute paths, and their pure
//! rendering into the pod spec; an app that sets none of them renders exactly as before they existed.

use std::collections::BTreeSet;

use serde_json::{Map, Value as Json, json};

use crate::diag::Diagnostics;
use crate::schema::validators::{label_value_problem, qualified_name_problem};
use crate::value::{AttributePath, Tf};

use super::checks::subdomain_name;
use super::model::{AppModel, MatchExpression, strings};
use super::render::selector;

const HOSTNAME: &str = "kubernetes.io/hostname";

/// Adds the settings to a rendered pod spec (after the zone spread, which it extends).
pub(super) fn render(app: &AppModel, pod_spec: &mut Json) {
    let term = || json!({"topologyKey": HOSTNAME, "labelSelector": {"matchLabels": selector(app)}});
    match app.node_spread.as_deref() {
        Some("topology") => push(
            pod_spec,
            &["topologySpreadConstraints"],
            json!({
                "maxSkew": 1,
                "topologyKey": HOSTNAME,
                "whenUnsatisfiable": "ScheduleAnyway",
                "labelSelector": {"matchLabels": selector(app)},
            }),
        ),
        Some("anti_affinity") => push(
            pod_spec,
            &[
                "affinity",
                "podAntiAffinity",
                "preferredDuringSchedulingIgnoredDuringExecution",
            ],
            json!({"weight": 100, "podAffinityTerm": term()}),
        ),
        Some("one_per_node") => push(
            pod_spec,
            &[
                "affinity",
                "podAntiAffinity",
                "requiredDuringSchedulingIgnoredDuringExecution",
            ],
            term(),
        ),
        _ => {}
    }
    if let Some(affinity) = app.node_affinity.get() {
        let mut node = Map::new();
        let required: Vec<Json> = affinity
            .required
            .get()
            .into_iter()
            .flatten()
            .filter_map(Tf::get)
            .map(|t| json!({"matchExpressions": expressions(&t.match_expressions)}))
            .collect();
        if !required.is_empty() {
            node.insert(
                "requiredDuringSchedulingIgnoredDuringExecution".into(),
                json!({"nodeSelectorTerms": required}),
            );
        }
        let preferred: Vec<Json> = affinity
            .preferred
            .get()
            .into_iter()
            .flatten()
            .filter_map(Tf::get)
            .map(|t| {
                json!({
                    "weight": t.weight.value().unwrap_or(1),
                    "preference": {"matchExpressions": expressions(&t.match_expressions)},
                })
            })
            .collect();
        if !preferred.is_empty() {
            node.insert(
                "preferredDuringSchedulingIgnoredDuringExecution".into(),
                json!(preferred),
            );
        }
        if !node.is_empty() {
            slot(pod_spec, &["affinity"])["nodeAffinity"] = Json::Object(node);
        }
    }
    let pull_secrets = strings(&app.image_pull_secrets);
    if !pull_secrets.is_empty() {
        pod_spec["imagePullSecrets"] = json!(pull_secrets.iter().map(|n| json!({"name": n})).collect::<Vec<_>>());
    }
    if let Some(class) = app.runtime_class_name.get() {
        pod_spec["runtimeClassName"] = json!(class);
    }
}

fn expressions(list: &Tf<Vec<Tf<MatchExpression>>>) -> Vec<Json> {
    list.get()
        .into_iter()
        .flatten()
        .filter_map(Tf::get)
        .map(|e| {
            let mut m = json!({"key": e.key.as_deref().unwrap_or_default(), "operator": e.operator.as_deref().unwrap_or_default()});
            let values = strings(&e.values);
            if !values.is_empty() {
                m["values"] = json!(values);
            }
            m
        })
        .collect()
}

/// The object at `path` in `spec`, made (empty) where missing.
fn slot<'a>(spec: &'a mut Json, path: &[&str]) -> &'a mut Json {
    path.iter().fold(spec, |at, step| {
        if at.get(*step).is_none() {
            at[*step] = json!({});
        }
        &mut at[*step]
    })
}

/// Appends `entry` to the list at `path` in `spec`, making it where missing.
fn push(spec: &mut Json, path: &[&str], entry: Json) {
    let (last, parent) = path.split_last().unwrap_or((&"", &[]));
    let parent = slot(spec, parent);
    match parent.get_mut(*last).and_then(Json::as_array_mut) {
        Some(list) => list.push(entry),
        None => parent[*last] = json!([entry]),
    }
}

pub(super) fn check(app: &AppModel, diags: &mut Diagnostics) {
    let mut seen = BTreeSet::new();
    for (i, name) in app.image_pull_secrets.get().into_iter().flatten().enumerate() {
        let Some(name) = name.get() else { continue };
        let path = AttributePath::attr("image_pull_secrets").then_index(i);
        subdomain_name(&path, Some(name), "Secret", diags);
        if !seen.insert(name) {
            diags.error_at(
                &path,
                "Duplicate Pull Secret",
                format!("{path} = {name:?} is listed twice."),
            );
        }
    }
    let class = app.runtime_class_name.get();
    subdomain_name(&AttributePath::attr("runtime_class_name"), class, "RuntimeClass", diags);
    node_affinity(app, diags);
}

/// Whether a list of terms is null or empty (an unknown list may hold terms).
fn no_terms<T>(terms: &Tf<Vec<T>>) -> bool {
    matches!(terms, Tf::Null) || terms.get().is_some_and(Vec::is_empty)
}

fn node_affinity(app: &AppModel, diags: &mut Diagnostics) {
    let Some(affinity) = app.node_affinity.get() else {
        return;
    };
    let root = AttributePath::attr("node_affinity");
    if no_terms(&affinity.required) && no_terms(&affinity.preferred) {
        diags.error_at(
            &root,
            "Empty Node Affinity",
            "node_affinity sets no term: add `required` or `preferred` terms, or remove node_affinity.",
        );
        return;
    }
    if affinity.required.get().is_some_and(Vec::is_empty) {
        diags.error_at(
            &root.then_attr("required"),
            "Node Affinity Matches No Node",
            "node_affinity.required = [] would leave the pods unschedulable (Kubernetes refuses it): add a term, or \
             remove required.",
        );
    }
    let required = affinity
        .required
        .get()
        .into_iter()
        .flatten()
        .map(|t| t.get().map(|t| &t.match_expressions));
    let preferred = affinity
        .preferred
        .get()
        .into_iter()
        .flatten()
        .map(|t| t.get().map(|t| &t.match_expressions));
    for (attr, terms) in [
        ("required", required.collect::<Vec<_>>()),
        ("preferred", preferred.collect()),
    ] {
        for (i, exprs) in terms.into_iter().enumerate() {
            let Some(exprs) = exprs else { continue };
            let here = root.then_attr(attr).then_index(i).then_attr("match_expressions");
            if exprs.get().is_some_and(Vec::is_empty) {
                let why = if attr == "required" {
                    "matches no node, so it never lets a pod schedule"
                } else {
                    "matches every node, so it prefers nothing"
                };
                diags.error_at(
                    &here,
                    "Empty Node Selector Term",
                    format!("{here} is empty: the term {why}. Add an expression, or remove the term."),
                );
            }
            for (j, e) in exprs.get().into_iter().flatten().enumerate() {
                if let Some(e) = e.get() {
                    expression(&here.then_index(j), e, diags);
                }
            }
        }
    }
}

fn expression(here: &AttributePath, e: &MatchExpression, diags: &mut Diagnostics) {
    if let Some(key) = e.key.get()
        && let Some(p) = qualified_name_problem(key)
    {
        let path = here.then_attr("key");
        diags.error_at(
            &path,
            "Invalid Node Affinity",
            format!("{path} = {key:?}: a label key {p}."),
        );
    }
    let (Some(op), false) = (e.operator.as_deref(), e.values.is_unknown()) else {
        return;
    };
    if e.values.get().is_some_and(|v| v.iter().any(Tf::is_unknown)) {
        return;
    }
    let values = strings(&e.values);
    let path = here.then_attr("values");
    let problem = match op {
        "In" | "NotIn" if values.is_empty() => Some(format!("operator {op:?} needs at least one value")),
        "In" | "NotIn" => values
            .iter()
            .find_map(|v| label_value_problem(v).map(|p| format!("{v:?} is not a label value: it {p}"))),
        "Exists" | "DoesNotExist" if !values.is_empty() => Some(format!("operator {op:?} takes no values")),
        "Gt" | "Lt" if values.len() != 1 || values[0].parse::<i64>().is_err() => {
            Some(format!("operator {op:?} takes exactly one whole number, e.g. [\"4\"]"))
        }
        _ => None,
    };
    if let Some(p) = problem {
        diags.error_at(&path, "Invalid Node Affinity", format!("{path}: {p}."));
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::tests::{app_with, get, render, validate};

    #[test]
    fn unset_settings_render_nothing_new() {
        let objs = render(app_with(json!({})));
        let pod = &get(&objs, "Deployment/api")["spec"]["template"]["spec"];
        for field in ["affinity", "imagePullSecrets", "runtimeClassName"] {
            assert!(pod.get(field).is_none(), "{field}");
        }
        assert_eq!(pod["topologySpreadConstraints"].as_array().unwrap().len(), 1);
    }

    #[test]
    fn scheduling_settings_render_into_the_pod_spec() {
        let selector = json!({"matchLabels": {"app.kubernetes.io/name": "api", "app.kubernetes.io/instance": "api"}});
        let objs = render(app_with(json!({
            "zone_spread": "anti_affinity",
            "node_spread": "anti_affinity",
            "image_pull_secrets": ["registry"],
            "runtime_class_name": "gvisor",
            "node_affinity": {
                "required": [{"match_expressions": [{"key": "kubernetes.io/arch", "operator": "In", "values": ["arm64"]}]}],
                "preferred": [{"weight": 50, "match_expressions": [{"key": "karpenter.sh/capacity-type", "operator": "Exists"}]}],
            },
        })));
        let pod = &get(&objs, "Deployment/api")["spec"]["template"]["spec"];
        assert_eq!(
            pod["affinity"],
            json!({
                "podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
                    {"weight": 100, "podAffinityTerm": {"topologyKey": "topology.kubernetes.io/zone", "labelSelector": selector}},
                    {"weight": 100, "podAffinityTerm": {"topologyKey": "kubernetes.io/hostname", "labelSelector": selector}},
                ]},
                "nodeAffinity": {
                    "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
                        {"matchExpressions": [{"key": "kubernetes.io/arch", "operator": "In", "values": ["arm64"]}]}
                    ]},
                    "preferredDuringSchedulingIgnoredDuringExecution": [
                        {"weight": 50, "preference": {"matchExpressions": [{"key": "karpenter.sh/capacity-type", "operator": "Exists"}]}}
                    ],
                },
            })
        );
        assert_eq!(pod["imagePullSecrets"], json!([{"name": "registry"}]));
        assert_eq!(pod["runtimeClassName"], "gvisor");

        let objs = render(app_with(json!({"node_spread": "topology"})));
        let pod = &get(&objs, "Deployment/api")["spec"]["template"]["spec"];
        let keys: Vec<&str> = pod["topologySpreadConstraints"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["topologyKey"].as_str().unwrap())
            .collect();
        assert_eq!(keys, ["topology.kubernetes.io/zone", "kubernetes.io/hostname"]);

        let objs = render(app_with(json!({"node_spread": "one_per_node", "zone_spread": "none"})));
        let pod = &get(&objs, "Deployment/api")["spec"]["template"]["spec"];
        assert_eq!(
            pod["affinity"],
            json!({"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
                {"topologyKey": "kubernetes.io/hostname", "labelSelector": selector}
            ]}})
        );
        assert!(pod.get("topologySpreadConstraints").is_none());
    }

    #[test]
    fn bad_scheduling_is_refused_naming_the_attribute() {
        let refused = |extra| validate(app_with(extra));
        let expr = |key: &str, op: &str, values: serde_json::Value| json!({"node_affinity": {"required": [{"match_expressions": [{"key": key, "operator": op, "values": values}]}]}});
        let at = "node_affinity.required[0].match_expressions[0]";
        assert_eq!(
            refused(expr("zone", "In", json!([]))),
            [format!("{at}.values: Invalid Node Affinity")]
        );
        assert_eq!(
            refused(expr("zone", "Exists", json!(["a"]))),
            [format!("{at}.values: Invalid Node Affinity")]
        );
        assert_eq!(
            refused(expr("cpus", "Gt", json!(["four"]))),
            [format!("{at}.values: Invalid Node Affinity")]
        );
        assert_eq!(
            refused(expr("zone", "In", json!(["a b"]))),
            [format!("{at}.values: Invalid Node Affinity")]
        );
        assert_eq!(
            refused(expr("bad key!", "Exists", json!(null))),
            [format!("{at}.key: Invalid Node Affinity")]
        );
        assert!(refused(expr("cpus", "Gt", json!(["4"]))).is_empty());
        assert_eq!(
            refused(json!({"node_affinity": {"required": [{"match_expressions": []}]}})),
            ["node_affinity.required[0].match_expressions: Empty Node Selector Term"]
        );
        assert_eq!(
            refused(json!({"node_affinity": {}})),
            ["node_affinity: Empty Node Affinity"]
        );
        assert_eq!(
            refused(
                json!({"node_affinity": {"required": [], "preferred": [{"weight": 1, "match_expressions": [{"key": "a", "operator": "Exists"}]}]}})
            ),
            ["node_affinity.required: Node Affinity Matches No Node"]
        );
        assert_eq!(
            refused(json!({"image_pull_secrets": ["registry", "registry"]})),
            ["image_pull_secrets[1]: Duplicate Pull Secret"]
        );
        assert_eq!(
            refused(json!({"image_pull_secrets": ["Registry"]})),
            ["image_pull_secrets[0]: Invalid Kubernetes Name"]
        );
        assert_eq!(
            refused(json!({"runtime_class_name": "g_visor"})),
            ["runtime_class_name: Invalid Kubernetes Name"]
        );
        assert_eq!(
            refused(json!({"node_spread": "everywhere"})),
            ["node_spread: Invalid Value"]
        );
    }
}
