//! The computed attributes, derived from the read configuration exactly as the plan derives them, and
//! `rendered`: hub's rendering of that configuration, projected onto the live objects (as every later read
//! does), plus any live object it does not render, and any another tool made, as imported.

use serde_json::{Map, Value as Json};

use super::super::drift::project;
use super::super::imported::imported;
use super::super::model::{AppModel, Strings, UserMap};
use super::super::render::{self, INSTANCE_ANNOTATION, MASKED, SECRET_REVISION_ANNOTATION};
use super::live::Live;
use crate::value::Tf;

fn annotation<'a>(object: Option<&'a Json>, key: &str) -> Option<&'a str> {
    object?.pointer("/metadata/annotations")?.get(key)?.as_str()
}

/// `selector`, `service_dns`, `service_account_name`, `id`, `instance_id`; `replacements` and
/// `last_rollout_error` are null after any read.
pub(super) fn computed(live: &Live, app: &mut AppModel) {
    app.selector = Tf::Known(render::selector(app));
    let enabled = app.service.get().and_then(|s| s.enabled.value()).unwrap_or(true);
    app.service_dns = if enabled {
        Tf::Known(format!("{}.{}.svc.cluster.local", app.service_name(), app.namespace()))
    } else {
        Tf::Null
    };
    app.service_account_name = Tf::Known(app.service_account_name());
    app.id = Tf::Known(format!("{}/{}", app.namespace(), app.name()));
    app.instance_id = Tf::from_option(annotation(live.object("Deployment"), INSTANCE_ANNOTATION).map(str::to_owned));
    app.replacements = Tf::Null;
    app.last_rollout_error = Tf::Null;
}

/// `rendered`.
pub(super) fn rendered(live: &Live, app: &mut AppModel) {
    let deployment = live.object("Deployment");
    // The count of secret changes is a fact of the live Deployment: the next plan counts on from it.
    let revision = annotation(deployment, SECRET_REVISION_ANNOTATION);
    let revision_number = revision.and_then(|r| r.parse().ok()).unwrap_or(0);
    // The Secret's keys (never its values: `Live` holds them masked) render the Secret and the
    // Deployment's references to it as hub applied them: stored values when the Deployment counts secret
    // revisions, write-only ones otherwise.
    // Without hub's pod defaults a Secret hub did not make is not the app's (`config.rs`): never recorded,
    // so never deleted.
    let secret = live
        .object("Secret")
        .filter(|s| app.hub_pod_defaults() || super::config::made_by_hub(s));
    let keys: UserMap = secret
        .and_then(|s| s.get("stringData"))
        .and_then(Json::as_object)
        .into_iter()
        .flatten()
        .map(|(k, _)| (k.clone(), Tf::Known(MASKED.to_owned())))
        .collect();
    let (mut shown, mut config) = (app.clone(), app.clone());
    if revision.is_some() && !keys.is_empty() {
        shown.secret_env = Tf::Known(keys);
    } else if secret.is_some() {
        config.secret_env_wo = Tf::Known(keys);
        // A Secret of write-only values only: its version is in no object, but the Secret is rendered.
        shown.secret_env_wo_version = Tf::Known(0);
    }
    let mut out = Strings::new();
    for object in render::objects(&shown, &config, revision_number) {
        let kind = object.manifest["kind"].as_str().unwrap_or_default().to_owned();
        let name = object.manifest["metadata"]["name"].as_str().unwrap_or_default();
        let Some(found) = live.named(&kind, name) else { continue };
        // An object another tool made is recorded whole, as imported: the plan then shows every field the
        // first apply takes over from it.
        if live.foreign(&object.key) {
            continue;
        }
        // Masked whatever the inputs hold: import must never put a secret value in state.
        let mut desired = render::masked(&object);
        if let (Some(r), "Deployment") = (revision, kind.as_str())
            && let Some(meta) = desired["metadata"].as_object_mut()
        {
            let annotations = meta.entry("annotations").or_insert_with(|| Json::Object(Map::new()));
            annotations[SECRET_REVISION_ANNOTATION] = Json::from(r);
        }
        // As every read: a Secret is compared by presence only (its masked rendering), never by content.
        let text = if kind == "Secret" {
            desired
        } else {
            project(&desired, found)
        };
        out.insert(object.key.clone(), text.to_string());
    }
    for (kind, found) in live.objects() {
        if kind == "Secret" && secret.is_none() {
            continue;
        }
        let name = found
            .pointer("/metadata/name")
            .and_then(Json::as_str)
            .unwrap_or_default();
        let key = format!("{kind}/{name}");
        out.entry(key)
            .or_insert_with(|| imported(kind, found.clone()).to_string());
    }
    app.rendered = Tf::Known(out);
}
