//! Pure rendering: a `hub_namespace` model to the Namespace object hub applies. Testable without a cluster.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::Namespace;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::schema::NamespaceModel;

use crate::resources::MANAGED_BY;

/// The Namespace object for server-side apply: only the fields hub owns.
pub(super) fn namespace(model: &NamespaceModel) -> Namespace {
    let mut labels: BTreeMap<String, String> = model.labels.clone().unwrap_or_default();
    labels.insert(MANAGED_BY.0.into(), MANAGED_BY.1.into());
    Namespace {
        metadata: ObjectMeta {
            name: Some(model.name.clone()),
            labels: Some(labels),
            annotations: model.annotations.clone().filter(|a| !a.is_empty()),
            ..Default::default()
        },
        ..Default::default()
    }
}

/// Keeps only the keys hub manages (those in `managed`) from what the server has, so that labels set by
/// others never show up as drift, while a managed label changed or removed by someone does.
pub(super) fn managed_subset(
    managed: &Option<BTreeMap<String, String>>,
    actual: Option<&BTreeMap<String, String>>,
) -> Option<BTreeMap<String, String>> {
    let managed = managed.as_ref()?;
    Some(
        managed
            .keys()
            .filter_map(|k| actual.and_then(|a| a.get(k)).map(|v| (k.clone(), v.clone())))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> NamespaceModel {
        NamespaceModel {
            name: "team-a".into(),
            labels: Some(BTreeMap::from([("env".into(), "prod".into())])),
            annotations: None,
            delete_timeout: "5m".into(),
        }
    }

    #[test]
    fn renders_name_labels_and_managed_by() {
        let ns = namespace(&model());
        assert_eq!(ns.metadata.name.as_deref(), Some("team-a"));
        let labels = ns.metadata.labels.unwrap();
        assert_eq!(labels.get("env").map(String::as_str), Some("prod"));
        assert_eq!(labels.get("app.kubernetes.io/managed-by").map(String::as_str), Some("hub"));
        assert!(ns.metadata.annotations.is_none());
    }

    #[test]
    fn drift_ignores_foreign_labels_but_sees_managed_changes() {
        let managed = Some(BTreeMap::from([("env".to_string(), "prod".to_string())]));
        let actual = BTreeMap::from([("env".to_string(), "dev".to_string()), ("other".to_string(), "x".to_string())]);
        let seen = managed_subset(&managed, Some(&actual)).unwrap();
        assert_eq!(seen, BTreeMap::from([("env".to_string(), "dev".to_string())]));
        assert_eq!(managed_subset(&managed, None), Some(BTreeMap::new()));
        assert_eq!(managed_subset(&None, Some(&actual)), None);
    }
}
