//! `labels`, `pod_labels`, `pod_selector`, `annotations` and `pod_annotations`: what the user added to hub's
//! own marks.

use super::super::model::AppModel;
use super::super::render;
use super::live::{self, Live};
use crate::k8s::labels::MANAGED_BY;
use crate::value::Tf;

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
        let marks = selector.contains_key(k) || [MANAGED_BY.0, "helm.sh/chart"].contains(&k.as_str());
        !(marks || hub && labels.get(k) == Some(v))
    });
    app.pod_labels = live::user_map(pod_labels);
    app.labels = live::user_map(labels);
    app.annotations = live::user_map(live::user_annotations(d.pointer("/metadata/annotations")));
    app.pod_annotations = live::user_map(live::user_annotations(d.pointer("/spec/template/metadata/annotations")));
}
