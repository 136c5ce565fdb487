//! Refresh reads batched per namespace and kind.
//!
//! A plan refreshes every `hub_app` in parallel, and each reads its eight objects. One GET per object costs
//! the API server far more than it costs hub (about 1.5 ms of API server and etcd CPU per GET on the local
//! control plane: 800 GETs to refresh 100 apps). So after the first few GETs of a (namespace, kind), the
//! remaining reads of that kind are served from one LIST of hub's objects (label
//! `app.kubernetes.io/managed-by=hub`), taken once and shared by every concurrent read. A module with a
//! handful of apps in a namespace never lists; one with a hundred makes 3 GETs and 1 LIST per kind.
//!
//! Reads stay exact: an object the LIST does not hold (deleted, or its labels changed by someone) is read
//! with a GET, and each listed object is handed out once, then forgotten. A provider process serves one
//! Terraform walk (a plan's refresh, or an apply), so the snapshot is as fresh as the refresh itself;
//! [`BatchReads::clear`] drops it whenever the process writes.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use kube::api::{ApiResource, DynamicObject, ListParams, TypeMeta};
use kube::{Api, Client};
use serde_json::Value as Json;
use tokio::sync::OnceCell;

use crate::diag::Diagnostics;
use crate::resources::MANAGED_BY;

/// GETs of one (namespace, kind) before the rest come from a LIST.
const GETS_BEFORE_LIST: u32 = 3;

/// Objects per LIST page: bounds the memory one response takes while it is parsed.
const PAGE: u32 = 100;

/// Listed objects by name, or `None` when the LIST failed (e.g. RBAC allows `get` but not `list`).
type Listed = Option<Mutex<HashMap<String, Json>>>;

#[derive(Default)]
struct Slot {
    gets: u32,
    list: Option<Arc<OnceCell<Listed>>>,
}

/// Reads shared by every request of one configured provider.
#[derive(Default)]
pub struct BatchReads {
    slots: Mutex<HashMap<(String, String), Slot>>,
}

impl BatchReads {
    /// Reads `name` as JSON without `metadata.managedFields` and `status`; `None` when it does not exist.
    pub async fn get(
        &self,
        client: &Client,
        namespace: &str,
        resource: &ApiResource,
        name: &str,
    ) -> Result<Option<Json>, Diagnostics> {
        let api = Api::<DynamicObject>::namespaced_with(client.clone(), namespace, resource);
        let kind = resource.kind.as_str();
        let Some(list) = self.list_slot(namespace, kind) else {
            return get_one(&api, name, kind).await;
        };
        let listed = list.get_or_init(|| list_all(&api, resource)).await;
        let hit = listed
            .as_ref()
            .and_then(|objects| objects.lock().unwrap_or_else(PoisonError::into_inner).remove(name));
        match hit {
            Some(object) => Ok(Some(object)),
            None => get_one(&api, name, kind).await,
        }
    }

    /// Forgets every listed object: the process is about to write.
    pub fn clear(&self) {
        self.slots.lock().unwrap_or_else(PoisonError::into_inner).clear();
    }

    /// The shared LIST of (namespace, kind) once enough GETs were made, else `None` (and one more GET counted).
    fn list_slot(&self, namespace: &str, kind: &str) -> Option<Arc<OnceCell<Listed>>> {
        let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        let slot = slots.entry((namespace.to_owned(), kind.to_owned())).or_default();
        if slot.list.is_none() && slot.gets < GETS_BEFORE_LIST {
            slot.gets += 1;
            return None;
        }
        Some(slot.list.get_or_insert_with(Default::default).clone())
    }
}

async fn get_one(api: &Api<DynamicObject>, name: &str, kind: &str) -> Result<Option<Json>, Diagnostics> {
    let object = super::get(api, name, kind).await?;
    Ok(object.map(trimmed))
}

/// Every hub-labelled object of the API's namespace and kind, page by page; `None` if any page fails.
async fn list_all(api: &Api<DynamicObject>, resource: &ApiResource) -> Listed {
    let mut objects = HashMap::new();
    let selector = format!("{}={}", MANAGED_BY.0, MANAGED_BY.1);
    let mut params = ListParams::default().labels(&selector).limit(PAGE);
    loop {
        let page = match api.list(&params).await {
            Ok(page) => page,
            Err(error) => {
                tracing::debug!(%error, "LIST for batched reads failed; reading one object at a time");
                return None;
            }
        };
        let next = page.metadata.continue_.clone().filter(|token| !token.is_empty());
        for mut object in page.items {
            // Items of a list carry no apiVersion and kind; a GET's object does.
            object.types = Some(TypeMeta {
                api_version: resource.api_version.clone(),
                kind: resource.kind.clone(),
            });
            if let Some(name) = object.metadata.name.clone() {
                objects.insert(name, trimmed(object));
            }
        }
        match next {
            Some(token) => params = params.continue_token(&token),
            None => return Some(Mutex::new(objects)),
        }
    }
}

/// The object as JSON without the parts a refresh never compares, so that held objects stay small; a
/// Secret's values go too (hub compares only its presence), so none is held for the rest of the refresh.
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
