//! An imported app's Secret: import never reads secret values, so a configuration written from an import
//! (`plan -generate-config-out` writes `secret_env = null # sensitive`) has none, and the plan deletes the
//! Secret. The plan says so, naming its keys, so that nobody applies that by accident.

use serde_json::Value as Json;

use crate::diag::Diagnostics;
use crate::value::{AttributePath, Tf};

use super::model::AppModel;

/// Warns when the plan drops a Secret whose values hub never held (imported: no `secret_env`, no
/// write-only version in state).
pub(super) fn warn_if_dropped(prior: Option<&AppModel>, planned: &AppModel, diags: &mut Diagnostics) {
    let Some(prior) = prior else { return };
    if prior.secret_env.is_set() || prior.secret_env_wo_version.is_set() {
        return;
    }
    let (Some(before), Tf::Known(after)) = (prior.rendered.get(), &planned.rendered) else {
        return;
    };
    for (key, manifest) in before {
        if !key.starts_with("Secret/") || after.contains_key(key) {
            continue;
        }
        let keys: Vec<String> = serde_json::from_str::<Json>(manifest)
            .ok()
            .and_then(|m| m.get("stringData").and_then(Json::as_object).cloned())
            .map(|d| d.keys().cloned().collect())
            .unwrap_or_default();
        let secret = key.trim_start_matches("Secret/");
        diags.warning_at(
            &AttributePath::attr("secret_env"),
            "Imported Secret Will Be Deleted",
            format!(
                "This app was imported with the Secret {secret} (keys: {}). Import never reads secret values, so \
                 the configuration sets no `secret_env` (a generated block says `secret_env = null # sensitive`), \
                 and apply deletes that Secret and the variables it gives the pods. To keep it, set `secret_env` \
                 (or `secret_env_wo` with `secret_env_wo_version`) to its values.",
                keys.join(", ")
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_rendered(keys: &[(&str, &str)]) -> AppModel {
        AppModel {
            rendered: Tf::Known(keys.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()),
            ..AppModel::default()
        }
    }

    #[test]
    fn dropping_an_imported_secret_warns_with_its_keys_and_a_managed_one_does_not() {
        let secret = r#"{"kind":"Secret","stringData":{"DB_PASSWORD":"(sensitive value)"}}"#;
        let prior = with_rendered(&[("Secret/api-secret", secret), ("Deployment/api", "{}")]);
        let planned = with_rendered(&[("Deployment/api", "{}")]);
        let mut diags = Diagnostics::new();
        warn_if_dropped(Some(&prior), &planned, &mut diags);
        assert_eq!(diags.0.len(), 1);
        assert!(
            diags.0[0].detail.contains("api-secret (keys: DB_PASSWORD)"),
            "{}",
            diags.0[0].detail
        );
        assert!(!diags.has_errors());

        let mut managed = prior.clone();
        managed.secret_env_wo_version = Tf::Known(1);
        let mut diags = Diagnostics::new();
        warn_if_dropped(Some(&managed), &planned, &mut diags);
        assert!(diags.0.is_empty());

        let mut diags = Diagnostics::new();
        warn_if_dropped(Some(&prior), &prior, &mut diags);
        assert!(diags.0.is_empty());
    }
}
