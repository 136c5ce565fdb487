//! Refresh reads batched per namespace and kind.
//!
//! A plan refreshes every `hub_app` in parallel, and each reads its objects one kind after another. One
//! GET per object costs the API server far more than it costs hub (about 1.5 ms of API server and etcd CPU
//! per GET on the local control plane: 800 GETs to refresh 100 apps). So reads of one (namespace, kind)
//! that arrive while another read of that kind is in flight wait and are then served together by one LIST
//! selecting exactly their apps (`app.kubernetes.io/name in (…)`, hub's objects only). Nothing waits on a
//! timer: a read that finds no read of its kind in flight goes out at once, so a lone app pays nothing, and
//! only objects somebody asked for are fetched and held, so memory stays that of single reads.
//!
//! Reads stay exact: an object a LIST does not return (deleted, or its labels changed by someone) is read
//! with a GET; a failed LIST (e.g. RBAC allows `get` but not `list`) falls back to GETs too.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, PoisonError};

use kube::api::{ApiResource, DynamicObject, ListParams, TypeMeta};
use kube::{Api, Client};
use serde_json::Value as Json;
use tokio::sync::oneshot;

use crate::diag::Diagnostics;
use crate::resources::MANAGED_BY;

/// The label every object of one app carries, with the app's name.
const APP_LABEL: &str = "app.kubernetes.io/name";

/// Most apps one LIST selects (keeps the selector and the response small).
const MAX_BATCH: usize = 50;

type Reply = Result<Option<Json>, Diagnostics>;

struct Waiter {
    app: String,
    name: String,
    reply: oneshot::Sender<Reply>,
}

#[derive(Default)]
struct Queue {
    /// A task is reading this (namespace, kind) now.
    busy: bool,
    waiting: VecDeque<Waiter>,
}

/// Reads shared by every request of one configured provider.
#[derive(Default)]
pub struct BatchReads {
    queues: Mutex<HashMap<(String, String), Queue>>,
}

impl BatchReads {
    /// Reads `name` (an object of app `app`) as JSON without `metadata.managedFields`, `status` and a
    /// Secret's values; `None` when it does not exist.
    pub async fn get(
        self: &Arc<Self>,
        client: &Client,
        namespace: &str,
        resource: &ApiResource,
        app: &str,
        name: &str,
    ) -> Reply {
        let (reply, answer) = oneshot::channel();
        let key = (namespace.to_owned(), resource.kind.clone());
        let start = {
            let mut queues = self.queues.lock().unwrap_or_else(PoisonError::into_inner);
            let queue = queues.entry(key.clone()).or_default();
            queue.waiting.push_back(Waiter {
                app: app.to_owned(),
                name: name.to_owned(),
                reply,
            });
            !std::mem::replace(&mut queue.busy, true)
        };
        if start {
            // A task of its own, so that a cancelled request cannot leave the queue busy forever.
            let (reads, client, resource) = (self.clone(), client.clone(), resource.clone());
            tokio::spawn(async move { reads.drain(&client, &key, &resource).await });
        }
        answer.await.unwrap_or_else(|_| {
            Err(Diagnostics::from_error(
                "Kubernetes Read Interrupted",
                format!("Reading {} {name} was interrupted; retry the plan.", resource.kind),
            ))
        })
    }

    /// Serves the queue of `key` batch by batch until it is empty.
    async fn drain(&self, client: &Client, key: &(String, String), resource: &ApiResource) {
        let api = Api::<DynamicObject>::namespaced_with(client.clone(), &key.0, resource);
        loop {
            let batch: Vec<Waiter> = {
                let mut queues = self.queues.lock().unwrap_or_else(PoisonError::into_inner);
                let Some(queue) = queues.get_mut(key) else { return };
                if queue.waiting.is_empty() {
                    queue.busy = false;
                    return;
                }
                let n = queue.waiting.len().min(MAX_BATCH);
                queue.waiting.drain(..n).collect()
            };
            serve(&api, resource, batch).await;
        }
    }
}

/// Answers every waiter of `batch`: one GET for a lone read, else one LIST plus a GET for each miss.
async fn serve(api: &Api<DynamicObject>, resource: &ApiResource, batch: Vec<Waiter>) {
    let kind = resource.kind.as_str();
    let mut listed = if batch.len() > 1 {
        list(api, resource, &batch).await.unwrap_or_default()
    } else {
        HashMap::new()
    };
    for waiter in batch {
        let reply = match listed.remove(&waiter.name) {
            Some(object) => Ok(Some(object)),
            None => get_one(api, &waiter.name, kind).await,
        };
        let _ = waiter.reply.send(reply);
    }
}

async fn get_one(api: &Api<DynamicObject>, name: &str, kind: &str) -> Reply {
    let object = super::get(api, name, kind).await?;
    Ok(object.map(trimmed))
}

/// hub's objects of the batch's apps, by name; `None` if the LIST failed (the batch then reads one by one).
async fn list(api: &Api<DynamicObject>, resource: &ApiResource, batch: &[Waiter]) -> Option<HashMap<String, Json>> {
    let mut apps: Vec<&str> = batch.iter().map(|w| w.app.as_str()).collect();
    apps.sort_unstable();
    apps.dedup();
    let selector = format!("{}={},{APP_LABEL} in ({})", MANAGED_BY.0, MANAGED_BY.1, apps.join(","));
    let page = match api.list(&ListParams::default().labels(&selector)).await {
        Ok(page) => page,
        Err(error) => {
            tracing::debug!(%error, "LIST for batched reads failed; reading one object at a time");
            return None;
        }
    };
    let wanted: Vec<&str> = batch.iter().map(|w| w.name.as_str()).collect();
    let mut objects = HashMap::new();
    for mut object in page.items {
        let Some(name) = object.metadata.name.clone().filter(|n| wanted.contains(&n.as_str())) else {
            continue;
        };
        // Items of a list carry no apiVersion and kind; a GET's object does.
        object.types = Some(TypeMeta {
            api_version: resource.api_version.clone(),
            kind: resource.kind.clone(),
        });
        objects.insert(name, trimmed(object));
    }
    Some(objects)
}

/// The object as JSON without the parts a refresh never compares; a Secret's values go too (hub compares
/// only its presence), so none is held while the batch is answered.
fn trimmed(object: DynamicObject) -> Json {
    let mut json = serde_json::to_value(&object).unwrap_or_default();
    if let Some(map) = json.as_object_mut() {
        map.remove("status");
        if map.get("kind").and_then(Json::as_str) == Some("Secret") {
            map.remove("data");
            map.remove("stringData");
        }
        if let Some(metadata) = map.get_mut("metadata").and_then(Json::as_object_mut) {
            metadata.remove("managedFields");
        }
    }
    json
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn held_objects_keep_what_a_refresh_compares_and_no_secret_value() {
        let secret: DynamicObject = serde_json::from_value(json!({
            "apiVersion": "v1", "kind": "Secret",
            "metadata": {"name": "api-secret", "labels": {"a": "b"}, "managedFields": [{"manager": "hub"}]},
            "type": "Opaque", "data": {"DB_PASSWORD": "aHVudGVyMg=="},
        }))
        .expect("secret");
        let held = trimmed(secret);
        assert_eq!(
            held,
            json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "api-secret", "labels": {"a": "b"}}, "type": "Opaque"})
        );
        let deployment: DynamicObject = serde_json::from_value(json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "api", "managedFields": []}, "spec": {"replicas": 2}, "status": {"readyReplicas": 2},
        }))
        .expect("deployment");
        assert_eq!(
            trimmed(deployment),
            json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "api"}, "spec": {"replicas": 2}})
        );
    }
}
