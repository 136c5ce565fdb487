//! `discover --generate`: the `hub_app` configuration the import of an app reads back (the same read and
//! reverse render as `import_read.rs`), reduced to what a configuration sets: no computed-only or
//! write-only attribute, nothing equal to what the plan fills in when it is left out. Shorter than core's
//! `plan -generate-config-out`, which writes every attribute, defaults included.

use kube::Client;

use super::model::AppModel;
use super::reverse::normalise;
use super::schema::schema;
use crate::schema::Presence;
use crate::value::model::to_value;
use crate::value::{Tf, Value};

/// An app's block as `discover --generate` writes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Generated {
    /// `(attribute, value)` for each top-level attribute to write, in schema order.
    pub attributes: Vec<(String, Value)>,
    /// `(Secret, keys)` of the app's own Secret: its values are never read, so the block cannot set them.
    pub secrets: Vec<(String, Vec<String>)>,
}

/// The block of the app `namespace/name`; `None` when there is no such Deployment.
pub async fn configuration(client: &Client, namespace: &str, name: &str) -> Result<Option<Generated>, String> {
    let prior = AppModel {
        name: Tf::Known(name.to_owned()),
        namespace: Tf::Known(namespace.to_owned()),
        ..AppModel::default()
    };
    let read = super::import_read::read(client, &prior).await.map_err(|d| {
        d.iter()
            .map(|d| format!("{}: {}", d.summary, d.detail))
            .collect::<Vec<_>>()
            .join("; ")
    })?;
    Ok(read.map(|app| Generated {
        attributes: settings(&app),
        secrets: secrets(&app),
    }))
}

/// The Secrets in what the import read, with their (masked) keys.
fn secrets(app: &AppModel) -> Vec<(String, Vec<String>)> {
    let rendered = app.rendered.get().into_iter().flatten();
    rendered
        .filter_map(|(key, manifest)| {
            let secret = key.strip_prefix("Secret/")?;
            let object: serde_json::Value = serde_json::from_str(manifest).ok()?;
            let keys = object.get("stringData")?.as_object()?.keys().cloned().collect();
            Some((secret.to_owned(), keys))
        })
        .collect()
}

/// The attributes of `app` a configuration sets, against the plan's defaults for the same name.
fn settings(app: &AppModel) -> Vec<(String, Value)> {
    let schema = schema();
    let ty = schema.implied_type();
    let defaults = normalise(AppModel {
        name: app.name.clone(),
        namespace: app.namespace.clone(),
        image: app.image.clone(),
        pod_defaults: app.pod_defaults.clone(),
        ..AppModel::default()
    });
    let (Ok(Value::Object(read)), Ok(Value::Object(default))) = (to_value(app, &ty), to_value(&defaults, &ty)) else {
        return Vec::new();
    };
    schema
        .block
        .attributes
        .iter()
        .filter(|a| a.presence != Presence::Computed && !a.write_only && !a.sensitive)
        .filter_map(|a| {
            let value = read.get(&a.name)?;
            let set = !matches!(value, Value::Null | Value::Unknown(_));
            let is_default = a.presence != Presence::Required && default.get(&a.name) == Some(value);
            (set && !is_default).then(|| (a.name.clone(), value.clone()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::reverse::{Live, reverse};
    use super::*;
    use serde_json::json;

    #[test]
    fn only_what_differs_from_the_defaults_is_written() {
        let deployment = json!({"kind": "Deployment", "metadata": {"name": "api"},
            "spec": {"replicas": 3, "selector": {"matchLabels": {"app.kubernetes.io/name": "api", "app.kubernetes.io/instance": "api"}},
                "template": {"spec": {"containers": [{"name": "api", "image": "x:1",
                    "ports": [{"name": "http", "containerPort": 8080}],
                    "env": [{"name": "MODE", "value": "on"}]}]}}}});
        let app = reverse(&Live::new("api", "shop", [("Deployment".to_owned(), deployment)]));
        let names: Vec<String> = settings(&app).into_iter().map(|(n, _)| n).collect();
        assert!(
            names.starts_with(&["name".into(), "namespace".into(), "image".into()]),
            "{names:?}"
        );
        assert!(
            names.contains(&"replicas".into()) && names.contains(&"env".into()),
            "{names:?}"
        );
        for absent in [
            "port",
            "id",
            "rendered",
            "selector",
            "secret_env",
            "secret_env_wo",
            "delete_timeout",
        ] {
            assert!(
                !names.contains(&absent.to_owned()),
                "{absent} is not written: {names:?}"
            );
        }
    }

    /// `replicas` beside `autoscaling` is refused at validate: an autoscaled app's block leaves it out.
    #[test]
    fn an_autoscaled_app_gets_no_replicas() {
        let deployment = json!({"kind": "Deployment", "metadata": {"name": "api"},
            "spec": {"replicas": 2, "template": {"spec": {"containers": [{"name": "api", "image": "x:1"}]}}}});
        let hpa = json!({"kind": "HorizontalPodAutoscaler", "metadata": {"name": "api"},
            "spec": {"minReplicas": 2, "maxReplicas": 4, "scaleTargetRef": {"kind": "Deployment", "name": "api"}}});
        let objects = [
            ("Deployment".to_owned(), deployment),
            ("HorizontalPodAutoscaler".to_owned(), hpa),
        ];
        let names: Vec<String> = settings(&reverse(&Live::new("api", "shop", objects)))
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        assert!(
            names.contains(&"autoscaling".into()) && !names.contains(&"replicas".into()),
            "{names:?}"
        );
    }

    #[test]
    fn the_apps_secret_is_named_with_its_keys_and_never_its_values() {
        // Pods with hub's checksum: an app hub made, whose Secret is its own.
        let deployment = json!({"kind": "Deployment", "metadata": {"name": "api"},
            "spec": {"template": {"metadata": {"annotations": {"hub.io/config-checksum": "c"}},
                "spec": {"containers": [{"name": "api", "image": "x:1",
                "envFrom": [{"secretRef": {"name": "api-secret"}}]}]}}}});
        let secret =
            json!({"kind": "Secret", "metadata": {"name": "api-secret"}, "data": {"DB_PASSWORD": "aHVudGVyMg=="}});
        let objects = [
            ("Deployment".to_owned(), deployment.clone()),
            ("Secret".to_owned(), secret.clone()),
        ];
        let app = reverse(&Live::new("api", "shop", objects));
        assert_eq!(
            secrets(&app),
            [("api-secret".to_owned(), vec!["DB_PASSWORD".to_owned()])]
        );
        // Another tool's app: the Secret stays outside, read through env_from.
        let mut foreign = deployment;
        foreign["spec"]["template"]["metadata"] = json!({});
        let app = reverse(&Live::new(
            "api",
            "shop",
            [("Deployment".to_owned(), foreign), ("Secret".to_owned(), secret)],
        ));
        assert!(secrets(&app).is_empty());
        assert!(format!("{:?}", settings(&app)).contains("api-secret"));
        let written = format!("{:?}", settings(&app));
        assert!(
            !written.contains("aHVudGVyMg") && !written.contains("hunter2"),
            "{written}"
        );
    }
}
