//! Renaming the Service while it keeps a fixed `service.node_port`: the old Service holds the port until it
//! is deleted, so its successor cannot be created first (the API server refuses it: "provided port is
//! already allocated"). Apply deletes such an old Service before it creates the new one; every other object
//! dropped from `rendered` (a renamed ConfigMap or Secret, an old Service without a fixed port) is deleted
//! after the new objects are applied, as before, so the pods never lose what they mount.

use std::collections::BTreeMap;
use std::time::Duration;

use kube::Client;
use serde_json::Value as Json;

use crate::diag::Diagnostics;
use crate::framework::ProviderContext;
use crate::k8s;
use crate::k8s::poll::{self, Waited};

use super::model::AppModel;
use super::ownership::{self, Deleted};
use super::reconcile::api;
use super::render::Object;

/// The node ports a rendered Service asks for.
fn node_ports(service: &Json) -> Vec<i64> {
    service["spec"]["ports"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["nodePort"].as_i64())
        .collect()
}

/// The keys of Services rendered before (`applied_before`, `Kind/name` → JSON text) but not now, whose
/// node port a Service rendered now asks for.
pub(super) fn services_to_free(applied_before: &BTreeMap<String, String>, objects: &[Object]) -> Vec<String> {
    let wanted: Vec<i64> = objects
        .iter()
        .filter(|o| o.key.starts_with("Service/"))
        .flat_map(|o| node_ports(&o.manifest))
        .collect();
    if wanted.is_empty() {
        return Vec::new();
    }
    applied_before
        .iter()
        .filter(|(key, _)| key.starts_with("Service/") && !objects.iter().any(|o| &o.key == *key))
        .filter(|(_, text)| {
            serde_json::from_str::<Json>(text)
                .is_ok_and(|old| node_ports(&old).iter().any(|port| wanted.contains(port)))
        })
        .map(|(key, _)| key.clone())
        .collect()
}

/// What the plan's server-side dry-run checks (`preflight`) instead of `planned` (whose `objects` are
/// given), if anything: `planned` without the fixed node port when the renamed Service takes it over from
/// the old one. A dry-run cannot know that apply deletes the old Service first, and would refuse the port
/// as allocated; the port is the old Service's own, so nothing else can hold it, and nothing is lost by
/// leaving it out of the check.
pub(super) fn for_dry_run(planned: &AppModel, objects: &[Object], prior: Option<&AppModel>) -> Option<AppModel> {
    let before = prior?.rendered.get()?;
    if services_to_free(before, objects).is_empty() {
        return None;
    }
    let mut checked = planned.clone();
    if let Some(service) = checked.service.get_mut() {
        service.node_port = crate::value::Tf::Null;
    }
    Some(checked)
}

/// Deletes the old Services of [`services_to_free`] and waits until they have gone, so that their node
/// ports are free for the renamed Service. A Service that is no longer this app's is left in place (with a
/// warning; the apply of the new one then fails naming the port).
pub(super) async fn free_node_ports(
    ctx: &ProviderContext,
    client: &Client,
    ns: &str,
    applied_before: &BTreeMap<String, String>,
    objects: &[Object],
    instance: Option<&str>,
) -> Result<Diagnostics, Diagnostics> {
    let mut warnings = Diagnostics::new();
    for key in services_to_free(applied_before, objects) {
        let name = key.trim_start_matches("Service/");
        let api = api(client, ns, "Service");
        match ownership::delete_owned(&api, ns, ("Service", name), instance).await? {
            Deleted::LeftInPlace(why) => {
                warnings.extend(why);
                continue;
            }
            Deleted::Yes => {}
        }
        let gone = || async { Ok(k8s::get(&api, name, "Service").await?.is_none().then_some(())) };
        match poll::until(&ctx.stop, Duration::from_secs(120), gone).await {
            Ok(()) => {}
            Err(Waited::Failed(d)) => return Err(d),
            Err(other) => {
                return Err(Diagnostics::from_error(
                    "Old Service Not Deleted",
                    format!(
                        "Service {ns}/{name} was deleted so that the renamed Service can take its node port, but it \
                         was still there when {}. Apply again once it has gone.",
                        other.reason("2m").unwrap_or_default()
                    ),
                ));
            }
        }
    }
    Ok(warnings)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn service(name: &str, node_port: Option<i64>) -> Object {
        let mut port = json!({"name": "http", "port": 80});
        if let Some(n) = node_port {
            port["nodePort"] = json!(n);
        }
        Object {
            key: format!("Service/{name}"),
            manifest: json!({"kind": "Service", "metadata": {"name": name}, "spec": {"ports": [port]}}),
        }
    }

    fn before(objects: &[Object]) -> BTreeMap<String, String> {
        objects
            .iter()
            .map(|o| (o.key.clone(), o.manifest.to_string()))
            .collect()
    }

    #[test]
    fn only_a_renamed_service_whose_port_the_new_one_takes_is_freed_first() {
        let old = before(&[service("api", Some(30080))]);
        assert_eq!(services_to_free(&old, &[service("web", Some(30080))]), ["Service/api"]);
        assert!(
            services_to_free(&old, &[service("api", Some(30080))]).is_empty(),
            "not renamed"
        );
        assert!(
            services_to_free(&old, &[service("web", Some(30081))]).is_empty(),
            "another port: deleted after, as usual"
        );
        assert!(services_to_free(&old, &[service("web", None)]).is_empty());
        assert!(services_to_free(&before(&[service("api", None)]), &[service("web", Some(30080))]).is_empty());
    }
}
