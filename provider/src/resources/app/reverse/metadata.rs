//! `labels`, `pod_labels`, `pod_selector`, `annotations` and `pod_annotations`: what the user added to hub's
//! own marks.

use super::super::model::AppModel;
use super::super::render;
use super::live::{self, Live};
use crate::k8s::labels::MANAGED_BY;
use crate::value::Tf;

/// The annotation `kubectl rollout restart` sets on the pod template.
const RESTARTED_AT: &str = "kubectl.kubernetes.io/restartedAt";

/// Labels hub puts on every object itself (the selector and the manager mark), and Helm's chart mark
/// (Helm's own, like its release annotations: see `helm.rs`).
const HUB_LABELS: &[&str] = &[
    "app.kubernetes.io/name",
    "app.kubernetes.io/instance",
    MANAGED_BY.0,
    "helm.sh/chart",
];

/// `labels` (from the Deployment), `pod_labels` (its template's, beyond those), `pod_selector` (its selector, when not hub's), `annotations` (the
/// Deployment's), `pod_annotations` (its template's).
pub(super) fn metadata(live: &Live, app: &mut AppModel) {
    let Some(d) = live.object("Deployment") else { return };
    let selector = live::string_map(d.pointer("/spec/selector/matchLabels"));
    let hubs = app.name.get().map(|name| render::selector_of(name));
    app.pod_selector = if hubs.as_ref() == Some(&selector) {
        Tf::Null
    } else {
        live::user_map(selector.clone())
    };
    let mut labels = live::string_map(d.pointer("/metadata/labels"));
    // The selector's labels are rendered from it on every object.
    labels.retain(|k, _| !HUB_LABELS.contains(&k.as_str()) && !selector.contains_key(k));
    // The pods' own labels: hub's pod defaults put `labels` there too.
    let mut pod_labels = live::string_map(d.pointer("/spec/template/metadata/labels"));
    let hub = app.hub_pod_defaults();
    pod_labels.retain(|k, v| {
        // Helm's marks on the pods stay with hub's defaults off: dropping them would roll the pods.
        let marks = selector.contains_key(k) || hub && [MANAGED_BY.0, "helm.sh/chart"].contains(&k.as_str());
        !(marks || hub && labels.get(k) == Some(v))
    });
    app.pod_labels = live::user_map(pod_labels);
    app.labels = live::user_map(labels);
    app.annotations = live::user_map(live::user_annotations(d.pointer("/metadata/annotations")));
    let template_annotations = d.pointer("/spec/template/metadata/annotations");
    let mut pod_annotations = live::user_annotations(template_annotations);
    // `kubectl rollout restart`'s mark is part of the template: without it the pods would roll again.
    if !hub
        && let Some(at) = template_annotations
            .and_then(|a| a.get(RESTARTED_AT))
            .and_then(|v| v.as_str())
    {
        pod_annotations.insert(RESTARTED_AT.to_owned(), at.to_owned());
    }
    app.pod_annotations = live::user_map(pod_annotations);
}
