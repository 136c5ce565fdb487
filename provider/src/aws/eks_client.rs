//! A Kubernetes client for an EKS cluster known only by name: on its first request it calls EKS
//! `DescribeCluster` for the endpoint and CA, and every request carries an EKS token minted in-process
//! (see [`super::eks_token`]) and refreshed before it expires.
//!
//! It is a tower service under a plain `kube::Client`, so resources use it like any other client, and
//! ConfigureProvider stays offline: a cluster created in the same apply is described only when first used.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use http::header::{AUTHORIZATION, HeaderValue};
use kube::client::Body;
use tokio::sync::OnceCell;

use super::SharedAws;
use super::cluster_access::ClusterAccess;
use super::eks_token::{TokenCache, bearer};

/// Why the cluster could not be reached.
#[derive(Debug, thiserror::Error)]
pub enum EksConnectError {
    /// AWS could not be called or DescribeCluster failed.
    #[error("describing EKS cluster {cluster:?}: {detail}")]
    Describe {
        /// Cluster name.
        cluster: String,
        /// What went wrong.
        detail: String,
    },
    /// DescribeCluster returned no usable endpoint or CA.
    #[error("EKS cluster {cluster:?} has {what} (is it still being created?)")]
    Incomplete {
        /// Cluster name.
        cluster: String,
        /// What is missing.
        what: &'static str,
    },
    /// No credentials to sign the token with, or signing failed.
    #[error("minting the EKS token for cluster {cluster:?}: {source}")]
    Token {
        /// Cluster name.
        cluster: String,
        /// The cause.
        source: super::eks_token::TokenError,
    },
}

struct Connected {
    client: kube::Client,
    region: String,
    creds: aws_credential_types::provider::SharedCredentialsProvider,
}

struct Shared {
    aws: SharedAws,
    cluster: String,
    connected: OnceCell<Connected>,
    tokens: TokenCache,
}

/// A `kube::Client` for EKS cluster `cluster`, reached with the provider's AWS settings.
pub fn client(aws: SharedAws, cluster: String) -> kube::Client {
    let shared = Arc::new(Shared {
        aws,
        cluster,
        connected: OnceCell::new(),
        tokens: TokenCache::default(),
    });
    kube::Client::new(EksService { shared }, "default")
}

#[derive(Clone)]
struct EksService {
    shared: Arc<Shared>,
}

fn service_error(e: EksConnectError) -> kube::Error {
    kube::Error::Service(Box::new(e))
}

impl Shared {
    async fn connect(&self) -> Result<&Connected, EksConnectError> {
        self.connected.get_or_try_init(|| self.describe()).await
    }

    async fn describe(&self) -> Result<Connected, EksConnectError> {
        let describe_err = |detail: String| EksConnectError::Describe {
            cluster: self.cluster.clone(),
            detail,
        };
        let aws = self.aws.clients().await.map_err(|d| describe_err(diag_text(&d)))?;
        let incomplete = |what| EksConnectError::Incomplete {
            cluster: self.cluster.clone(),
            what,
        };
        let cluster = super::cluster_access::describe(&aws.eks, &self.cluster)
            .await
            .map_err(|e| describe_err(super::error::describe(&e)))?
            .ok_or_else(|| incomplete("no description"))?;
        let access = ClusterAccess::of(&cluster);
        let (endpoint, ca) = access.usable().map_err(incomplete)?;
        let uri: http::Uri = endpoint
            .parse()
            .map_err(|_| incomplete("an endpoint that is not a URL"))?;
        let mut config = kube::Config::new(uri);
        config.root_cert = Some(ca.der);
        let client = crate::k8s::client(config).map_err(|e| describe_err(e.to_string()))?;
        let creds = aws.sdk.credentials_provider().ok_or_else(|| EksConnectError::Token {
            cluster: self.cluster.clone(),
            source: super::eks_token::TokenError::Credentials("the AWS credential chain is empty".into()),
        })?;
        tracing::debug!(cluster = %self.cluster, endpoint, "EKS cluster described");
        Ok(Connected {
            client,
            region: aws.region().unwrap_or_default(),
            creds,
        })
    }
}

/// The text of diagnostics, for errors that travel as `std::error::Error`.
pub fn diag_text(d: &crate::diag::Diagnostics) -> String {
    d.iter()
        .map(|d| format!("{}: {}", d.summary, d.detail))
        .collect::<Vec<_>>()
        .join("; ")
}

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

impl tower::Service<http::Request<Body>> for EksService {
    type Response = http::Response<Body>;
    type Error = kube::Error;
    type Future = BoxFuture<Result<Self::Response, Self::Error>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, mut req: http::Request<Body>) -> Self::Future {
        let shared = self.shared.clone();
        Box::pin(async move {
            let connected = shared.connect().await.map_err(service_error)?;
            let token = shared
                .tokens
                .get(&shared.cluster, &connected.region, &connected.creds)
                .await
                .map_err(|source| {
                    service_error(EksConnectError::Token {
                        cluster: shared.cluster.clone(),
                        source,
                    })
                })?;
            let mut value = HeaderValue::from_str(&bearer(&token)).map_err(|e| kube::Error::HttpError(e.into()))?;
            value.set_sensitive(true);
            req.headers_mut().insert(AUTHORIZATION, value);
            let resp = connected.client.send(req).await?;
            if resp.status() == http::StatusCode::UNAUTHORIZED {
                // Credentials may have rotated: mint afresh next time.
                shared.tokens.invalidate().await;
            }
            Ok(resp)
        })
    }
}
