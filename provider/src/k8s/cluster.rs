//! [`Cluster`]: the Kubernetes client of one configured provider, with the refresh reads batched over it,
//! so the read cache lives and dies with the connection it caches.

use std::sync::Arc;

use kube::Client;
use kube::api::ApiResource;
use serde_json::Value as Json;

use crate::diag::Diagnostics;

use super::batch_read::BatchReads;
use super::version::{self, ServerVersion};

/// A cluster connection: the client and the reads batched over it.
#[derive(Clone)]
pub struct Cluster {
    client: Client,
    reads: Arc<BatchReads>,
    version: Arc<tokio::sync::OnceCell<ServerVersion>>,
}

impl Cluster {
    /// A connection with an empty read cache.
    pub fn new(client: Client) -> Self {
        Cluster {
            client,
            reads: Arc::default(),
            version: Arc::default(),
        }
    }

    /// The client (cheap to clone).
    pub fn client(&self) -> Client {
        self.client.clone()
    }

    /// A refresh read of `name`, batched with the reads of the same namespace and kind (see
    /// [`BatchReads::get`]).
    pub async fn batched_get(
        &self,
        namespace: &str,
        resource: &ApiResource,
        name: &str,
    ) -> Result<Option<Json>, Diagnostics> {
        self.reads.get(&self.client, namespace, resource, name).await
    }

    /// The API server's version, asked once per connection (a failed read is asked again next time).
    pub async fn server_version(&self) -> Result<ServerVersion, Diagnostics> {
        self.version
            .get_or_try_init(|| version::fetch(&self.client))
            .await
            .cloned()
    }

    /// Drops what earlier listings hold: they could be stale once this process writes.
    pub fn forget_reads(&self) {
        self.reads.clear();
    }
}
