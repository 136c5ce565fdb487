//! Refresh reads batched per namespace and kind.
//!
//! A plan refreshes every `hub_app` in parallel, and each reads its objects. One GET per object costs the
//! API server far more than it costs hub (bench/provider/NOTES.md has the figures). So after the first few GETs of a (namespace, kind), the
//! remaining reads of that kind are served from one LIST of hub's objects (label
//! `app.kubernetes.io/managed-by=hub`), shared by every read that follows (`batch_read/listing.rs`: a
//! read returns as soon as the page holding its object arrives, and pages are read only while a read
//! waits for a name they may hold). A module with a handful of apps in a namespace never lists; one with a hundred
//! makes 3 GETs and 1 LIST per kind, however many other states' apps the namespace holds.
//!
//! Memory stays small: one LIST page is
//! read at a time, each item is parsed straight into the parts a refresh compares (no `managedFields`,
//! no `status`, no Secret values) and held as compact JSON text until its app asks for it, then dropped.
//!
//! Reads stay exact: an object the LIST does not hold (deleted, its labels changed by someone, or already
//! handed out) is read with a GET, and a failed LIST (e.g. RBAC allows `get` but not `list`) falls back to
//! GETs. A provider process serves one Terraform walk, so the snapshot is as fresh as the refresh itself;
//! it is dropped whenever the process writes ([`BatchReads::clear`]) and after [`HELD_FOR`].

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use kube::Client;
use kube::api::{ApiResource, DynamicObject};
use serde_json::Value as Json;
use tokio::sync::Semaphore;

use crate::diag::Diagnostics;

mod listing;
mod trimmed;

use listing::{Listing, Source};
use trimmed::Trimmed;

/// GETs of one (namespace, kind) before the rest come from a LIST.
const GETS_BEFORE_LIST: u32 = 3;

/// GETs in flight at once. An app reads its objects concurrently and tofu refreshes ten apps at a time;
/// the client speaks HTTP/1.1, so every concurrent request holds a connection (a TLS handshake on both
/// sides, and buffers) of its own.
const IN_FLIGHT: usize = 8;

/// How long listed objects may answer reads: about the length of one walk.
const HELD_FOR: Duration = Duration::from_secs(30);

#[derive(Default)]
struct Slot {
    gets: u32,
    list: Option<(Instant, Arc<Listing>)>,
}

/// Reads shared by every request of one configured provider.
pub struct BatchReads {
    slots: Mutex<HashMap<(String, String), Slot>>,
    in_flight: Semaphore,
    /// One LIST page at a time, whatever its kind: each is parsed whole, so this bounds their memory.
    listing: Arc<Semaphore>,
}

impl Default for BatchReads {
    fn default() -> Self {
        BatchReads {
            slots: Mutex::default(),
            in_flight: Semaphore::new(IN_FLIGHT),
            listing: Arc::new(Semaphore::new(1)),
        }
    }
}

impl BatchReads {
    /// Reads `name` as JSON without `metadata.managedFields`, `status` and a Secret's values; `None` when
    /// it does not exist.
    pub async fn get(
        &self,
        client: &Client,
        namespace: &str,
        resource: &ApiResource,
        name: &str,
    ) -> Result<Option<Json>, Diagnostics> {
        let scope = Scope {
            client,
            namespace,
            resource,
        };
        let Some(listing) = self.listing_of(&scope) else {
            return self.get_one(&scope, name).await;
        };
        let hit = listing.take(name).await;
        match hit.and_then(|text| serde_json::from_str(&text).ok()) {
            Some(object) => Ok(Some(object)),
            None => self.get_one(&scope, name).await,
        }
    }

    /// Forgets every listed object: the process is about to write.
    pub fn clear(&self) {
        self.slots.lock().unwrap_or_else(PoisonError::into_inner).clear();
    }

    /// The shared LIST of the scope's namespace and kind once enough GETs were made, else `None` (and one
    /// more GET counted). A LIST older than [`HELD_FOR`] is replaced by a new one.
    fn listing_of(&self, scope: &Scope<'_>) -> Option<Arc<Listing>> {
        let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        let slot = slots
            .entry((scope.namespace.to_owned(), scope.resource.kind.clone()))
            .or_default();
        if slot.list.is_none() && slot.gets < GETS_BEFORE_LIST {
            slot.gets += 1;
            return None;
        }
        let now = Instant::now();
        match &slot.list {
            Some((taken, listing)) if now.duration_since(*taken) <= HELD_FOR => Some(listing.clone()),
            _ => {
                let listing = Listing::start(Source {
                    client: scope.client.clone(),
                    url: scope.url(),
                    resource: scope.resource.clone(),
                    gate: self.listing.clone(),
                });
                slot.list = Some((now, listing.clone()));
                Some(listing)
            }
        }
    }

    /// One object by GET, trimmed like a listed one.
    async fn get_one(&self, scope: &Scope<'_>, name: &str) -> Result<Option<Json>, Diagnostics> {
        let what = format!("Reading {}", scope.resource.kind);
        let request = kube::core::Request::new(scope.url())
            .get(name, &Default::default())
            .map_err(|e| super::report(&what, kube::Error::BuildRequest(e)))?;
        let _permit = self.in_flight.acquire().await;
        match scope
            .client
            .request::<Trimmed>(request)
            .await
            .map_err(super::Error::from)
        {
            Ok(object) => Ok(Some(object.into_json(scope.resource))),
            Err(super::Error::NotFound(_)) => Ok(None),
            Err(e) => Err(e.diagnostics(&what)),
        }
    }
}

/// Where a read goes: the client, and the namespace and kind of the object.
struct Scope<'a> {
    client: &'a Client,
    namespace: &'a str,
    resource: &'a ApiResource,
}

impl Scope<'_> {
    fn url(&self) -> String {
        <DynamicObject as kube::Resource>::url_path(self.resource, Some(self.namespace))
    }
}
