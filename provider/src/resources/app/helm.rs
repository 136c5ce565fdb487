//! Helm's hold on an app's objects, said by the plan. Objects `helm install` made carry Helm's labels and
//! release annotations, and Helm's release records (Secrets) still list them: `helm uninstall` would delete
//! them, `helm upgrade` overwrite them. With `adopt_from_helm` the apply takes Helm's fields (see
//! `takeover`), which removes its marks; the plan names them per object. The records are never deleted by
//! hub: the plan names them and says how to delete them.

use std::collections::BTreeSet;

use k8s_openapi::api::core::v1::Secret;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kube::api::{Api, ListParams};
use kube::{Client, ResourceExt};
use serde_json::json;

use super::model::AppModel;
use super::reconcile::api;
use super::render::Object;
use super::takeover::HELM;
use crate::diag::Diagnostics;

const CHART_LABEL: &str = "helm.sh/chart";
const MANAGED_BY: &str = "app.kubernetes.io/managed-by";
const RELEASE_NAME: &str = "meta.helm.sh/release-name";
const RELEASE_NAMESPACE: &str = "meta.helm.sh/release-namespace";

/// Helm's marks on one live object.
#[derive(Debug, Default, PartialEq)]
struct Marks {
    /// The labels and annotations Helm set, as `key` or `key=value`.
    marks: Vec<String>,
    /// The release, `(namespace, name)`, from the release annotations.
    release: Option<(String, String)>,
    /// Whether Helm's field manager holds fields of it (beyond a count it keeps beside an autoscaler).
    managed: bool,
}

fn marks_of(meta: &ObjectMeta, namespace: &str) -> Marks {
    let empty = Default::default();
    let labels = meta.labels.as_ref().unwrap_or(&empty);
    let annotations = meta.annotations.as_ref().unwrap_or(&empty);
    let mut marks = Vec::new();
    if labels.contains_key(CHART_LABEL) {
        marks.push(CHART_LABEL.to_owned());
    }
    if labels.get(MANAGED_BY).is_some_and(|v| v == "Helm") {
        marks.push(format!("{MANAGED_BY}=Helm"));
    }
    for key in [RELEASE_NAME, RELEASE_NAMESPACE] {
        if annotations.contains_key(key) {
            marks.push(key.to_owned());
        }
    }
    let release = annotations.get(RELEASE_NAME).map(|name| {
        let ns = annotations
            .get(RELEASE_NAMESPACE)
            .cloned()
            .unwrap_or_else(|| namespace.to_owned());
        (ns, name.clone())
    });
    let count_only = json!({"f:spec": {"f:replicas": {}}});
    let managed = meta
        .managed_fields
        .iter()
        .flatten()
        .any(|e| e.manager.as_deref() == Some(HELM) && e.fields_v1.as_ref().is_none_or(|f| f.0 != count_only));
    Marks {
        marks,
        release,
        managed,
    }
}

/// Warnings about Helm's hold on the live objects among `objects`: while `adopt_from_helm` is set, and on
/// the first plan after an import (`prior` without an instance id).
pub(super) async fn check(
    client: &Client,
    app: &AppModel,
    objects: &[Object],
    prior: Option<&AppModel>,
) -> Diagnostics {
    let mut diags = Diagnostics::new();
    let adopt = app.adopt_from_helm.value().unwrap_or(false);
    let imported = prior.is_some_and(|p| p.instance_id.get().is_none());
    if !adopt && !imported {
        return diags;
    }
    let ns = app.namespace();
    let mut held = Vec::new();
    let mut releases = BTreeSet::new();
    for object in objects {
        let (kind, name) = object.key.split_once('/').unwrap_or((&object.key, ""));
        // Metadata only: a Secret's values are never read here.
        let Ok(Some(live)) = api(client, ns, kind).get_metadata_opt(name).await else {
            continue;
        };
        let marks = marks_of(&live.metadata, ns);
        // With adopt_from_helm only what Helm's manager holds goes (marks another tool wrote stay).
        if (adopt && marks.managed) || (!adopt && !marks.marks.is_empty()) {
            let shown = if marks.marks.is_empty() {
                String::new()
            } else {
                format!(" ({})", marks.marks.join(", "))
            };
            held.push(format!("{}{shown}", object.key));
        }
        releases.extend(marks.release);
    }
    if held.is_empty() && releases.is_empty() {
        return diags;
    }
    if adopt && !held.is_empty() {
        diags.warning(
            "Objects Taken From Helm",
            format!(
                "adopt_from_helm: the apply takes the fields Helm set on these objects in {ns} and removes those the \
                 configuration does not set, Helm's labels and annotations among them: {}.",
                held.join("; ")
            ),
        );
    } else if !adopt && !held.is_empty() {
        diags.warning(
            "Objects Still Marked By Helm",
            format!(
                "These objects in {ns} carry Helm's marks, which hub leaves in place: {}. Set adopt_from_helm = true \
                 to remove them.",
                held.join("; ")
            ),
        );
    }
    for (release_ns, release) in releases {
        diags.warning(
            "Helm Release Records Stay",
            records(client, &release_ns, &release).await,
        );
    }
    diags
}

/// What to say about the records of `release`: their names, or why they could not be listed.
async fn records(client: &Client, ns: &str, release: &str) -> String {
    let selector = format!("owner=helm,name={release}");
    // Metadata only: a record holds the release's whole manifest, Secret values included.
    let listed = Api::<Secret>::namespaced(client.clone(), ns)
        .list_metadata(&ListParams::default().labels(&selector))
        .await;
    let found = match listed {
        Ok(list) => {
            let names: Vec<String> = list.items.iter().map(ResourceExt::name_any).collect();
            if names.is_empty() {
                format!("no record of it was found in {ns}")
            } else {
                format!("its records are the Secrets {} in {ns}", names.join(", "))
            }
        }
        Err(e) => format!("its records in {ns} could not be listed ({e})"),
    };
    format!(
        "Helm's release {release} still lists the app's objects: {found}. hub never deletes them. While they exist, \
         `helm uninstall {release} -n {ns}` deletes the objects and `helm upgrade` overwrites them. Once every \
         object of the release is managed by Terraform, delete the records: kubectl delete secret -n {ns} -l \
         {selector}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helms_marks_and_release_are_read_from_the_object() {
        let object: kube::api::DynamicObject = serde_json::from_value(json!({
            "apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "api", "namespace": "apps",
                "labels": {"helm.sh/chart": "c-1", "app.kubernetes.io/managed-by": "Helm", "team": "a"},
                "annotations": {"meta.helm.sh/release-name": "dev-apps"},
                "managedFields": [{"manager": "helm", "operation": "Update"}]}
        }))
        .expect("object");
        assert_eq!(
            marks_of(&object.metadata, "apps"),
            Marks {
                marks: vec![
                    "helm.sh/chart".into(),
                    "app.kubernetes.io/managed-by=Helm".into(),
                    "meta.helm.sh/release-name".into()
                ],
                release: Some(("apps".into(), "dev-apps".into())),
                managed: true,
            }
        );
        let plain: kube::api::DynamicObject = serde_json::from_value(json!({
            "apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "api", "labels": {"app.kubernetes.io/managed-by": "hub"}}
        }))
        .expect("object");
        assert_eq!(marks_of(&plain.metadata, "apps"), Marks::default());
        let kept: kube::api::DynamicObject = serde_json::from_value(json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "api", "managedFields": [{"manager": "helm", "operation": "Update",
                "fieldsType": "FieldsV1", "fieldsV1": {"f:spec": {"f:replicas": {}}}}]}
        }))
        .expect("object");
        assert!(
            !marks_of(&kept.metadata, "apps").managed,
            "the count Helm keeps beside an HPA is not a hold"
        );
    }
}
