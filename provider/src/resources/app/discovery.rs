//! What `terraform-provider-hub discover` asks of `hub_app` about one Deployment and the objects grouped
//! with it: which of them the import of the app reads (the same names the import looks up,
//! `import_read.rs`), and what in them the reverse render cannot express (the same reading the import
//! does, `reverse/`), so that the report and the import never disagree.

use serde_json::Value as Json;

use super::import_read::{Names, labelled_for};
use super::render::selector_of;
use super::reverse::{Live, unreadable_volumes};

/// The import's view of one app.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fit {
    /// `Kind/name` of the grouped objects the import of the app reads.
    pub taken: Vec<String>,
    /// `(Kind/name, reason)` of the grouped objects the import leaves outside the app.
    pub left: Vec<(String, String)>,
    /// What the Deployment holds that `hub_app` cannot express (the import drops it).
    pub problems: Vec<String>,
}

fn name(object: &Json) -> &str {
    object
        .pointer("/metadata/name")
        .and_then(Json::as_str)
        .unwrap_or_default()
}

/// How the import of `app` (its Deployment `deployment`) treats `members` (`(Kind, object)` as the API
/// server returns them), and what it cannot express.
pub fn fit(app: &str, namespace: &str, deployment: &Json, members: &[(String, Json)]) -> Fit {
    let ingress = members
        .iter()
        .find(|(k, o)| k == "Ingress" && name(o) == app)
        .map(|(_, o)| o);
    let names = Names::of(app, deployment, ingress);
    let mut fit = Fit::default();
    for (kind, object) in members {
        let key = format!("{kind}/{}", name(object));
        match reads(app, &names, members, kind, object) {
            Ok(()) => fit.taken.push(key),
            Err(why) => fit.left.push((key, why)),
        }
    }
    fit.problems = problems(&Live::new(
        app,
        namespace,
        [("Deployment".to_owned(), deployment.clone())],
    ));
    fit
}

/// `Ok` when the import of `app` reads `object`, else why not (as `import_read::read` looks objects up).
fn reads(app: &str, names: &Names, members: &[(String, Json)], kind: &str, object: &Json) -> Result<(), String> {
    let label = format!("app.kubernetes.io/instance={app}");
    match kind {
        "Ingress" if name(object) == app => Ok(()),
        "Ingress" => Err(format!("hub_app reads only the Ingress named {app:?}")),
        "CronJob" if labelled_for(object, app) && name(object).starts_with(&format!("{app}-")) => Ok(()),
        "CronJob" => Err(format!("hub_app reads CronJobs named {app}-… and labelled {label}")),
        "ServiceAccount" | "ConfigMap" | "Secret" | "Service" | "HorizontalPodAutoscaler" | "PodDisruptionBudget" => {
            let (wanted, referenced) = names.of_kind(kind);
            if name(object) == wanted {
                return if !referenced || labelled_for(object, app) {
                    Ok(())
                } else {
                    Err(format!(
                        "named by the app but not labelled {label}: hub takes in a shared object only when it is \
                         labelled for the app, and keeps the reference otherwise"
                    ))
                };
            }
            if kind == "Service" && by_selector(app, names, members, object) {
                return Ok(());
            }
            Err(format!(
                "the import of hub_app.{app} reads the {kind} named {wanted:?}; this one stays outside it"
            ))
        }
        _ => Err(format!("hub_app renders no {kind}")),
    }
}

/// The import's last way to a Service: none named for the app, and this one labelled for it and selecting
/// exactly hub's labels.
fn by_selector(app: &str, names: &Names, members: &[(String, Json)], object: &Json) -> bool {
    let wanted = names.of_kind("Service").0;
    names.service.is_none()
        && !members.iter().any(|(k, o)| k == "Service" && name(o) == wanted)
        && labelled_for(object, app)
        && object.pointer("/spec/selector") == Some(&serde_json::json!(selector_of(app)))
}

/// What the reverse render drops, one sentence each. (A selector other than hub's is not among them: it
/// reads back as `pod_selector`.)
fn problems(live: &Live) -> Vec<String> {
    let mut out = Vec::new();
    let main = live.container().and_then(|c| c.get("name")).and_then(Json::as_str);
    let containers = live.pod().and_then(|p| p.get("containers")).and_then(Json::as_array);
    for c in containers.into_iter().flatten() {
        let other = c.get("name").and_then(Json::as_str).unwrap_or_default();
        if Some(other) != main {
            out.push(format!(
                "container {other:?}: hub_app runs one container (the one named after the app, else the first, \
                 here {:?}) plus init containers and sidecars; the import drops this one",
                main.unwrap_or_default()
            ));
        }
    }
    for (volume, source) in unreadable_volumes(live) {
        out.push(format!(
            "volume {volume:?} ({source}): hub_app volumes are secret, config_map, empty_dir, claims and \
             secrets_store (CSI); the import drops it"
        ));
    }
    let env = live.container().and_then(|c| c.get("env")).and_then(Json::as_array);
    for e in env.into_iter().flatten() {
        let from = e.get("valueFrom").and_then(Json::as_object);
        if let Some(source) = from.and_then(|f| f.keys().find(|k| !k.ends_with("KeyRef") || k.starts_with("resource")))
        {
            let var = e.get("name").and_then(Json::as_str).unwrap_or_default();
            out.push(format!(
                "env {var:?} from {source}: hub_app has no attribute for it; the import drops it"
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn deployment(selector: Json, pod: Json) -> Json {
        json!({"kind": "Deployment", "metadata": {"name": "api"},
            "spec": {"selector": {"matchLabels": selector}, "template": {"spec": pod}}})
    }

    fn hub_selector() -> Json {
        json!({"app.kubernetes.io/name": "api", "app.kubernetes.io/instance": "api"})
    }

    fn object(name: &str, labels: Json) -> Json {
        json!({"metadata": {"name": name, "labels": labels}})
    }

    #[test]
    fn the_import_reads_the_objects_named_for_the_app_and_labelled_shared_ones() {
        let d = deployment(
            hub_selector(),
            json!({"serviceAccountName": "shared", "containers": [{"name": "api", "image": "x",
                "envFrom": [{"configMapRef": {"name": "settings"}}]}]}),
        );
        let members = vec![
            ("Service".to_owned(), object("api", json!({}))),
            (
                "ConfigMap".to_owned(),
                object("settings", json!({"app.kubernetes.io/instance": "api"})),
            ),
            ("ServiceAccount".to_owned(), object("shared", json!({}))),
            ("HorizontalPodAutoscaler".to_owned(), object("api-hpa", json!({}))),
        ];
        let fit = fit("api", "shop", &d, &members);
        assert_eq!(fit.taken, ["Service/api", "ConfigMap/settings"]);
        let left: Vec<&str> = fit.left.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(left, ["ServiceAccount/shared", "HorizontalPodAutoscaler/api-hpa"]);
        assert!(
            fit.left[0].1.contains("not labelled app.kubernetes.io/instance=api"),
            "{:?}",
            fit.left
        );
        assert!(fit.left[1].1.contains("named \"api\""), "{:?}", fit.left);
        assert!(fit.problems.is_empty(), "{:?}", fit.problems);
    }

    #[test]
    fn a_labelled_service_with_hubs_selector_is_found_by_selector() {
        let d = deployment(hub_selector(), json!({"containers": [{"name": "api"}]}));
        let mut svc = object("front", json!({"app.kubernetes.io/instance": "api"}));
        svc["spec"] = json!({"selector": hub_selector()});
        let fit = fit("api", "shop", &d, &[("Service".to_owned(), svc)]);
        assert_eq!(fit.taken, ["Service/front"]);
    }

    #[test]
    fn what_the_reverse_render_drops_is_named() {
        let d = deployment(
            json!({"app": "api"}),
            json!({"containers": [
                {"name": "api", "env": [{"name": "POD_IP", "valueFrom": {"fieldRef": {"fieldPath": "status.podIP"}}},
                    {"name": "TOKEN", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}]},
                {"name": "proxy"}],
                "volumes": [{"name": "host", "hostPath": {"path": "/var"}}, {"name": "cache", "emptyDir": {}}]}),
        );
        let problems = fit("api", "shop", &d, &[]).problems;
        assert_eq!(problems.len(), 3, "{problems:#?}");
        assert!(problems[0].starts_with("container \"proxy\""));
        assert!(problems[1].starts_with("volume \"host\" (hostPath)"));
        assert!(problems[2].starts_with("env \"POD_IP\" from fieldRef"));
    }
}
