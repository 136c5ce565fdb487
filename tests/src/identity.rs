//! Kubernetes identities other than the sandbox admin: a service account bound to a cluster role, its
//! token, and a provider block that authenticates with it. For tests of throttling by identity and of the
//! least RBAC hub needs.

use k8s_openapi::api::core::v1::ServiceAccount;
use k8s_openapi::api::rbac::v1::ClusterRoleBinding;
use kube::Api;
use kube::api::{DeleteParams, PostParams};
use serde_json::json;

use crate::support::{err, sandbox};
use crate::tf;

/// A service account `name` in `ns`, bound to `cluster_role` (binding `{ns}-{name}`).
pub struct Identity {
    pub namespace: String,
    pub name: String,
    /// A bearer token for it, valid for an hour.
    pub token: String,
}

impl Identity {
    /// Creates the account and its binding, and requests a token.
    pub async fn create(ns: &str, name: &str, cluster_role: &str) -> tf::Result<Self> {
        let c = sandbox().kube_client().await.map_err(err)?;
        let sa: ServiceAccount = serde_json::from_value(json!({"metadata": {"name": name}})).map_err(err)?;
        Api::<ServiceAccount>::namespaced(c.clone(), ns)
            .create(&PostParams::default(), &sa)
            .await
            .map_err(err)?;
        let binding: ClusterRoleBinding = serde_json::from_value(json!({
            "metadata": {"name": format!("{ns}-{name}")},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": cluster_role},
            "subjects": [{"kind": "ServiceAccount", "name": name, "namespace": ns}],
        }))
        .map_err(err)?;
        Api::<ClusterRoleBinding>::all(c.clone())
            .create(&PostParams::default(), &binding)
            .await
            .map_err(err)?;
        let request = serde_json::from_value(
            json!({"spec": {"audiences": ["https://kubernetes.default.svc"], "expirationSeconds": 3600}}),
        )
        .map_err(err)?;
        let token = Api::<ServiceAccount>::namespaced(c, ns)
            .create_token_request(name, &PostParams::default(), &request)
            .await
            .map_err(err)?
            .status
            .map(|s| s.token)
            .unwrap_or_default();
        Ok(Identity {
            namespace: ns.to_owned(),
            name: name.to_owned(),
            token,
        })
    }

    /// Provider-block lines that authenticate as this identity (`host`, CA, `token`).
    pub fn provider_lines(&self) -> tf::Result<String> {
        let sb = sandbox();
        Ok(format!(
            "  host                   = {:?}\n  cluster_ca_certificate = {:?}\n  token                  = {:?}\n",
            sb.api_server_url(),
            sb.ca_pem().map_err(err)?,
            self.token
        ))
    }

    /// Removes the cluster role binding (the account goes with its namespace).
    pub async fn forget(&self) -> tf::Result<()> {
        let c = sandbox().kube_client().await.map_err(err)?;
        let _ = Api::<ClusterRoleBinding>::all(c)
            .delete(&format!("{}-{}", self.namespace, self.name), &DeleteParams::default())
            .await;
        Ok(())
    }
}
