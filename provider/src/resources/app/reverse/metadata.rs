//! `labels`, `annotations` and `pod_annotations`: what the user added to hub's own marks.

use super::super::model::AppModel;
use super::live::{self, Live};
use crate::k8s::labels::MANAGED_BY;

/// Labels hub puts on every object itself (the selector and the manager mark), and Helm's chart mark
/// (Helm's own, like its release annotations: see `helm.rs`).
const HUB_LABELS: &[&str] = &[
    "app.kubernetes.io/name",
    "app.kubernetes.io/instance",
    MANAGED_BY.0,
    "helm.sh/chart",
];

/// `labels` (from the Deployment), `annotations` (the Deployment's), `pod_annotations` (its template's).
pub(super) fn metadata(live: &Live, app: &mut AppModel) {
    let Some(d) = live.object("Deployment") else { return };
    let mut labels = live::string_map(d.pointer("/metadata/labels"));
    labels.retain(|k, _| !HUB_LABELS.contains(&k.as_str()));
    app.labels = live::user_map(labels);
    app.annotations = live::user_map(live::user_annotations(d.pointer("/metadata/annotations")));
    app.pod_annotations = live::user_map(live::user_annotations(d.pointer("/spec/template/metadata/annotations")));
}
