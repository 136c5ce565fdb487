//! What resources get from the configured provider: API clients (or why there are none) and the stop signal.

use std::sync::Arc;

use tokio_util::sync::CancellationToken;

use crate::diag::Diagnostics;

/// How the provider reaches the cluster, decided by ConfigureProvider.
#[derive(Clone, Default)]
pub enum Connection {
    /// ConfigureProvider has not run (validate, functions, moves).
    #[default]
    Unconfigured,
    /// The provider configuration holds values only known after apply (e.g. a cluster created in the same
    /// run). Resources plan from configuration alone and refresh keeps prior state.
    Unknown,
    /// A Kubernetes client built from the configuration (building it does no network I/O).
    Kubernetes(kube::Client),
    /// The configuration was complete but unusable; the diagnostics say why. Reported when a resource needs
    /// the cluster, so that plans which don't need it still work.
    Failed(Diagnostics),
}

/// Shared by every request after ConfigureProvider.
#[derive(Clone, Default)]
pub struct ProviderContext {
    /// The cluster connection.
    pub connection: Arc<Connection>,
    /// Cancelled by StopProvider (Ctrl-C): long waits must end promptly and return what they have.
    pub stop: CancellationToken,
    /// AWS access (IAM, EKS, STS), loaded on first use; unknown while the provider configuration is.
    pub aws: Arc<crate::aws::LazyAws>,
    /// The EKS cluster of the provider block (EKS mode), when known.
    pub cluster_name: Option<String>,
    /// Refresh reads, batched per namespace and kind.
    pub reads: Arc<crate::k8s::batch_read::BatchReads>,
}

impl ProviderContext {
    /// Whether the provider configuration is not yet known (plan of a one-run bootstrap).
    pub fn config_unknown(&self) -> bool {
        matches!(*self.connection, Connection::Unknown)
    }

    /// The AWS clients, or diagnostics explaining why there are none (configuration unknown, no region).
    pub async fn aws(&self) -> Result<crate::aws::AwsClients, Diagnostics> {
        self.aws.clients().await
    }

    /// The Kubernetes client, or diagnostics explaining why there is none.
    pub fn kube(&self) -> Result<kube::Client, Diagnostics> {
        match &*self.connection {
            Connection::Kubernetes(client) => Ok(client.clone()),
            Connection::Failed(diags) => Err(diags.clone()),
            Connection::Unknown => Err(Diagnostics::from_error(
                "Provider Configuration Unknown",
                "The hub provider configuration depends on values that are not known yet, so the cluster \
                 cannot be reached. This is expected during plan; during apply it is a bug.",
            )),
            Connection::Unconfigured => Err(Diagnostics::from_error(
                "Provider Not Configured",
                "The hub provider has no cluster connection. Set `cluster_name` (EKS), `host` (with \
                 `token` or a client certificate), or `config_path`, in the provider block.",
            )),
        }
    }
}
