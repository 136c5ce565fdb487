//! HPA metrics beyond CPU and memory (`autoscaling.metrics`): `pods` metrics (an average over the app's pods,
//! served by a custom metrics adapter), `object` metrics (a value of one Kubernetes object, e.g. an Ingress's
//! requests per second) and `external` metrics (a value from outside the cluster, e.g. an SQS queue's depth
//! through an external metrics adapter). Their checks with attribute paths, their rendering into the HPA
//! after `cpu_percent` and `memory_percent`, and their reading back for an import.

use serde_json::{Value as Json, json};

use crate::diag::Diagnostics;
use crate::k8s::quantity;
use crate::value::{AttributePath, Tf};

use super::checks::subdomain_name;
use super::model::{AppModel, Autoscaling, DescribedObject, Metric, known};

/// `type` as written, and the HPA's metric source type.
const TYPES: &[(&str, &str)] = &[("pods", "Pods"), ("object", "Object"), ("external", "External")];

/// The known metrics of `autoscaling.metrics`.
fn metrics(hpa: &Autoscaling) -> impl Iterator<Item = (usize, &Metric)> {
    hpa.metrics
        .get()
        .into_iter()
        .flatten()
        .enumerate()
        .filter_map(|(i, m)| Some((i, m.get()?)))
}

/// The HPA's `spec.metrics` entries of `autoscaling.metrics`, in order.
pub(super) fn render(hpa: &Autoscaling) -> Vec<Json> {
    metrics(hpa)
        .filter_map(|(_, m)| {
            let kind = m.kind.as_deref()?;
            let (_, source) = TYPES.iter().find(|(t, _)| *t == kind)?;
            let mut metric = json!({"name": m.name.as_deref().unwrap_or_default()});
            let selector = known(&m.selector);
            if !selector.is_empty() {
                metric["selector"] = json!({"matchLabels": selector});
            }
            let target = match (m.value.get(), m.average_value.get()) {
                (Some(value), _) => json!({"type": "Value", "value": value}),
                (None, average) => json!({"type": "AverageValue", "averageValue": average}),
            };
            let mut body = json!({"metric": metric, "target": target});
            if let Some(o) = m.described_object.get() {
                body["describedObject"] = json!({
                    "apiVersion": o.api_version.as_deref().unwrap_or_default(),
                    "kind": o.kind.as_deref().unwrap_or_default(),
                    "name": o.name.as_deref().unwrap_or_default(),
                });
            }
            Some(json!({"type": source, kind: body}))
        })
        .collect()
}

/// `autoscaling.metrics` as an HPA's `spec` records them (null when it has none of these kinds).
pub(super) fn read(spec: &Json) -> Tf<Vec<Tf<Metric>>> {
    let text = |v: Option<&Json>| Tf::from_option(v.and_then(Json::as_str).map(str::to_owned));
    let list: Vec<Tf<Metric>> = spec
        .get("metrics")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .filter_map(|entry| {
            let source = entry.get("type")?.as_str()?;
            let (kind, _) = TYPES.iter().find(|(_, s)| *s == source)?;
            let body = entry.get(*kind)?;
            let selector: super::model::UserMap = body
                .pointer("/metric/selector/matchLabels")
                .and_then(Json::as_object)
                .into_iter()
                .flatten()
                .filter_map(|(k, v)| Some((k.clone(), Tf::Known(v.as_str()?.to_owned()))))
                .collect();
            let object = body.get("describedObject").map(|o| DescribedObject {
                api_version: text(o.get("apiVersion")),
                kind: text(o.get("kind")),
                name: text(o.get("name")),
            });
            Some(Tf::Known(Metric {
                kind: Tf::Known((*kind).to_owned()),
                name: text(body.pointer("/metric/name")),
                selector: if selector.is_empty() {
                    Tf::Null
                } else {
                    Tf::Known(selector)
                },
                average_value: text(body.pointer("/target/averageValue")),
                value: text(body.pointer("/target/value")),
                described_object: Tf::from_option(object),
            }))
        })
        .collect();
    if list.is_empty() { Tf::Null } else { Tf::Known(list) }
}

/// What each type takes: its target (`pods`: an average per pod only; `object` and `external`: exactly one of
/// `value` and `average_value`) and whether it names an object.
pub(super) fn check(app: &AppModel, diags: &mut Diagnostics) {
    let Some(hpa) = app.autoscaling.get() else { return };
    let zero = bigdecimal::BigDecimal::from(0);
    for (i, m) in metrics(hpa) {
        let base = AttributePath::attrs(&["autoscaling", "metrics"]).then_index(i);
        let Some(kind) = m.kind.as_deref() else { continue };
        let at = |field: &str| base.then_attr(field);
        if let Some(name) = m.name.as_deref()
            && (name.is_empty() || name.contains(['/', '%']))
        {
            let path = at("name");
            diags.error_at(
                &path,
                "Invalid Metric Name",
                format!("{path} = {name:?} is not a metric name: it must be non-empty, without '/' or '%'."),
            );
        }
        for field in ["average_value", "value"] {
            let value = if field == "value" { &m.value } else { &m.average_value };
            if let Some(q) = value.as_deref()
                && quantity::parse(q).is_some_and(|n| n <= zero)
            {
                let path = at(field);
                diags.error_at(
                    &path,
                    "Metric Target Not Positive",
                    format!("{path} = {q:?}: an HPA target must be above zero."),
                );
            }
        }
        let (value, average, object) = (m.value.is_set(), m.average_value.is_set(), m.described_object.is_set());
        let mut refuse = |field: &str, summary: &str, why: String| diags.error_at(&at(field), summary, why);
        match kind {
            "pods" if value => refuse(
                "value",
                "Metric Target Not Allowed",
                format!("{base}.value: a `pods` metric is averaged over the pods; set average_value instead."),
            ),
            "pods" if !average => refuse(
                "average_value",
                "Metric Without Target",
                format!(
                    "{}: a `pods` metric needs average_value, the target per pod.",
                    at("average_value")
                ),
            ),
            "object" | "external" if value && average => refuse(
                "average_value",
                "Metric Target Set Twice",
                format!(
                    "{}: set one of value (the metric itself) and average_value (per pod), not both.",
                    at("average_value")
                ),
            ),
            "object" | "external" if !value && !average => refuse(
                "value",
                "Metric Without Target",
                format!(
                    "{}: an `{kind}` metric needs value (the metric itself) or average_value (per pod).",
                    at("value")
                ),
            ),
            _ => {}
        }
        match (kind, object) {
            ("object", false) => refuse(
                "described_object",
                "Metric Without Object",
                format!(
                    "{}: an `object` metric needs described_object, the object it describes.",
                    at("described_object")
                ),
            ),
            ("pods" | "external", true) => refuse(
                "described_object",
                "Metric Object Not Allowed",
                format!("{base}.described_object is only for `object` metrics, not `{kind}`."),
            ),
            _ => {}
        }
        if let Some(o) = m.described_object.get() {
            subdomain_name(&at("described_object").then_attr("name"), o.name.get(), "object", diags);
            if let Some(kind) = o.kind.as_deref()
                && !kind.starts_with(|c: char| c.is_ascii_uppercase())
            {
                let path = at("described_object").then_attr("kind");
                diags.error_at(
                    &path,
                    "Invalid Object Kind",
                    format!("{path} = {kind:?} is not a kind: kinds are CamelCase, e.g. \"Ingress\"."),
                );
            }
        }
    }
}

/// `autoscaling.metrics`.
pub(super) fn schema() -> crate::schema::Attribute {
    use crate::schema::{Attribute, Nesting, validators};
    let quantity = |name: &str, what: &str| {
        Attribute::string(name)
            .validate(validators::quantity())
            .description(what)
    };
    let text = |name: &str, what: &str| Attribute::string(name).required().description(what);
    Attribute::nested(
        "metrics",
        Nesting::List,
        vec![
            Attribute::string("type").required().validate(validators::one_of(&["pods", "object", "external"])).description("`pods` (a metric of each pod, averaged), `object` (a metric of one Kubernetes object) or `external` (a metric from outside the cluster, e.g. an SQS queue's depth)."),
            text("name", "The metric's name as its metrics adapter serves it, e.g. `sqs_messages_visible`."),
            Attribute::string_map("selector").validate(validators::kubernetes_labels(true)).description("Labels that select the metric's series (`metric.selector.matchLabels`), e.g. `{ queue = \"orders\" }`. Null: every series."),
            quantity("average_value", "Target per pod (`AverageValue`): the metric divided by the number of pods, e.g. `\"30\"` messages per pod. The only target of `pods` metrics; one of `value` and `average_value` for the others."),
            quantity("value", "Target of the metric itself (`Value`), for `object` and `external` metrics."),
            Attribute::nested(
                "described_object",
                Nesting::Single,
                vec![
                    text("api_version", "API version of the object, e.g. `networking.k8s.io/v1`."),
                    text("kind", "Kind of the object, e.g. `Ingress`."),
                    text("name", "Name of the object, in the app's namespace."),
                ],
            )
            .description("The object an `object` metric describes (required for it, refused for the others)."),
        ],
    )
    .description("Metrics beyond CPU and memory (HPA v2), scaled on after `cpu_percent` and `memory_percent`; the HPA follows whichever asks for the most replicas. They come from a metrics adapter in the cluster (Prometheus Adapter, KEDA, the CloudWatch adapter), e.g. `[{ type = \"external\", name = \"sqs_messages_visible\", selector = { queue = \"orders\" }, average_value = \"30\" }]`.")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metric(kind: &str) -> Metric {
        Metric {
            kind: Tf::Known(kind.into()),
            name: Tf::Known("queue_depth".into()),
            ..Metric::default()
        }
    }

    fn hpa(list: Vec<Metric>) -> Autoscaling {
        Autoscaling {
            metrics: Tf::Known(list.into_iter().map(Tf::Known).collect()),
            ..Autoscaling::default()
        }
    }

    fn errors(list: Vec<Metric>) -> Vec<String> {
        let app = AppModel {
            autoscaling: Tf::Known(hpa(list)),
            ..AppModel::default()
        };
        let mut diags = Diagnostics::new();
        check(&app, &mut diags);
        diags.iter().map(|d| format!("{}: {}", d.summary, d.detail)).collect()
    }

    #[test]
    fn each_type_renders_its_source_with_its_target() {
        let external = Metric {
            selector: Tf::Known([("queue".to_owned(), Tf::Known("orders".to_owned()))].into()),
            average_value: Tf::Known("30".into()),
            ..metric("external")
        };
        let pods = Metric {
            average_value: Tf::Known("500m".into()),
            ..metric("pods")
        };
        let object = Metric {
            value: Tf::Known("10k".into()),
            described_object: Tf::Known(DescribedObject {
                api_version: Tf::Known("networking.k8s.io/v1".into()),
                kind: Tf::Known("Ingress".into()),
                name: Tf::Known("api".into()),
            }),
            ..metric("object")
        };
        let rendered = render(&hpa(vec![external, pods, object]));
        assert_eq!(
            rendered,
            vec![
                json!({"type": "External", "external": {"metric": {"name": "queue_depth", "selector": {"matchLabels": {"queue": "orders"}}},
                    "target": {"type": "AverageValue", "averageValue": "30"}}}),
                json!({"type": "Pods", "pods": {"metric": {"name": "queue_depth"}, "target": {"type": "AverageValue", "averageValue": "500m"}}}),
                json!({"type": "Object", "object": {"metric": {"name": "queue_depth"}, "target": {"type": "Value", "value": "10k"},
                    "describedObject": {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "name": "api"}}}),
            ]
        );
        // Read back for an import, they render the same.
        let back = read(&json!({"metrics": rendered}));
        assert_eq!(back.get().map(Vec::len), Some(3));
        assert_eq!(
            render(&Autoscaling {
                metrics: back,
                ..Autoscaling::default()
            }),
            rendered
        );
    }

    #[test]
    fn cpu_and_memory_are_not_read_as_metrics() {
        let spec = json!({"metrics": [{"type": "Resource", "resource": {"name": "cpu"}}]});
        assert_eq!(read(&spec), Tf::Null);
    }

    #[test]
    fn targets_and_objects_follow_the_type() {
        let cases = [
            (metric("pods"), "needs average_value"),
            (
                Metric {
                    value: Tf::Known("1".into()),
                    ..metric("pods")
                },
                "set average_value instead",
            ),
            (metric("external"), "needs value"),
            (
                Metric {
                    value: Tf::Known("1".into()),
                    average_value: Tf::Known("1".into()),
                    ..metric("external")
                },
                "not both",
            ),
            (
                Metric {
                    value: Tf::Known("1".into()),
                    ..metric("object")
                },
                "needs described_object",
            ),
            (
                Metric {
                    value: Tf::Known("1".into()),
                    described_object: Tf::Known(DescribedObject::default()),
                    ..metric("external")
                },
                "only for `object`",
            ),
            (
                Metric {
                    average_value: Tf::Known("0".into()),
                    ..metric("pods")
                },
                "above zero",
            ),
            (
                Metric {
                    name: Tf::Known("a/b".into()),
                    average_value: Tf::Known("1".into()),
                    ..metric("pods")
                },
                "metric name",
            ),
        ];
        for (m, want) in cases {
            let got = errors(vec![m.clone()]);
            assert!(got.iter().any(|e| e.contains(want)), "{m:?}: {got:?}");
        }
        let fine = Metric {
            value: Tf::Known("5".into()),
            ..metric("external")
        };
        assert!(errors(vec![fine]).is_empty());
    }
}
