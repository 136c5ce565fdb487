//! What resources get from the configured provider: API clients (or why there are none) and the stop signal.

use std::sync::Arc;
use std::time::Duration;

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
    /// A Kubernetes client built from the configuration (building it does no network I/O), with its reads.
    Kubernetes(crate::k8s::Cluster),
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
    /// Whether the cluster answered `GET /version`: asked once per provider process, by the first plan
    /// that needs the cluster.
    pub reachable: Arc<tokio::sync::OnceCell<Result<(), Diagnostics>>>,
}

/// How long the plan waits for the cluster to answer `GET /version`.
const REACH_TIMEOUT: Duration = Duration::from_secs(20);

/// Asks the cluster for its version. Any HTTP answer (even 401 or 403) means it is there; no answer within
/// [`REACH_TIMEOUT`], a refused connection, a TLS or credential failure mean apply could not reach it either.
async fn reach(client: kube::Client, stop: CancellationToken) -> Result<(), Diagnostics> {
    let not_reachable = |why: String| {
        Diagnostics::from_error(
            "Cluster Not Reachable",
            format!(
                "The cluster of the hub provider block did not answer GET /version: {why}. Every change would fail \
                 at apply, so the plan stops here. Check the provider block (`host`, `config_path` and \
                 `config_context`, or `cluster_name` and `region`), the network path to the API server, and the credentials."
            ),
        )
    };
    tokio::select! {
        answer = tokio::time::timeout(REACH_TIMEOUT, client.apiserver_version()) => match answer.map(|r| r.map_err(crate::k8s::Error::from)) {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(crate::k8s::Error::Unreachable(e))) => Err(not_reachable(e.to_string())),
            Ok(Err(_)) => Ok(()),
            Err(_) => Err(not_reachable(format!("no answer within {} s", REACH_TIMEOUT.as_secs()))),
        },
        () = stop.cancelled() => Err(Diagnostics::from_error("Cancelled", "The plan was stopped while hub was contacting the cluster.")),
    }
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

    /// Whether a plan of a Kubernetes-backed resource may go on: yes while the provider configuration is
    /// unknown (a cluster created in the same run plans from configuration alone); otherwise the provider
    /// block must name a cluster, and that cluster must answer (asked once per process, then remembered).
    pub async fn cluster_for_plan(&self) -> Result<(), Diagnostics> {
        match &*self.connection {
            Connection::Unknown => Ok(()),
            Connection::Kubernetes(cluster) => {
                let (client, stop) = (cluster.client(), self.stop.clone());
                self.reachable.get_or_init(|| reach(client, stop)).await.clone()
            }
            Connection::Unconfigured | Connection::Failed(_) => self.kube().map(|_| ()),
        }
    }

    /// The cluster connection with its batched reads, or diagnostics explaining why there is none.
    pub fn cluster(&self) -> Result<&crate::k8s::Cluster, Diagnostics> {
        match &*self.connection {
            Connection::Kubernetes(cluster) => Ok(cluster),
            _ => self.kube().map(|_| unreachable!("kube() fails without a cluster")),
        }
    }

    /// Drops cached refresh reads before this process writes.
    pub fn forget_reads(&self) {
        if let Connection::Kubernetes(cluster) = &*self.connection {
            cluster.forget_reads();
        }
    }

    /// The Kubernetes client, or diagnostics explaining why there is none.
    pub fn kube(&self) -> Result<kube::Client, Diagnostics> {
        match &*self.connection {
            Connection::Kubernetes(cluster) => Ok(cluster.client()),
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
