//! Kubernetes helpers shared by resources: error translation into diagnostics that say what to do.

pub mod batch_read;
pub mod poll;
pub mod quantity;

use crate::diag::Diagnostics;

/// Turns a kube error into a diagnostic naming the action and, for common statuses, the fix.
pub fn error(action: &str, err: &kube::Error) -> Diagnostics {
    let detail = match err {
        kube::Error::Api(status) => {
            let hint = match status.code {
                401 => {
                    " The credentials were rejected: check `token` or the client certificate (an EKS token expires after 15 minutes)."
                }
                403 if status.message.contains("exceeded quota") => {
                    " The namespace's ResourceQuota does not allow this (the message names the quota and the amounts): raise it (hub_namespace.resource_quota) or ask for less."
                }
                403 => {
                    " The identity hub uses is not allowed to do this: grant it RBAC permissions (on EKS, an access entry)."
                }
                409 if status.message.starts_with("Apply failed with") => {
                    " Another field manager holds fields hub sets (named in the message)."
                }
                409 if status.reason == "AlreadyExists" => " It already exists.",
                409 => " Someone else changed the object at the same time; plan and apply again.",
                422 => " The API server rejected the object as invalid.",
                429 => " The API server is throttling requests; retry later.",
                _ => "",
            };
            format!(
                "{action}: {} ({}, HTTP {}).{hint}",
                status.message, status.reason, status.code
            )
        }
        other => format!("{action}: {other}. Check that the cluster endpoint is reachable from where Terraform runs."),
    };
    Diagnostics::from_error("Kubernetes API Error", detail)
}

/// Whether the error is an HTTP 404 from the API server.
pub fn is_not_found(err: &kube::Error) -> bool {
    matches!(err, kube::Error::Api(s) if s.code == 404)
}

/// Server-side applies `object` as hub's field manager (forcing ownership of the fields hub sets).
pub async fn apply<K>(api: &kube::Api<K>, name: &str, object: &K, what: &str) -> Result<K, Diagnostics>
where
    K: kube::Resource + Clone + serde::Serialize + serde::de::DeserializeOwned + std::fmt::Debug,
{
    let params = kube::api::PatchParams::apply(crate::resources::FIELD_MANAGER).force();
    api.patch(name, &params, &kube::api::Patch::Apply(object))
        .await
        .map_err(|e| error(&format!("Applying {what}"), &e))
}

/// Deletes an object; already gone is success.
pub async fn delete<K>(api: &kube::Api<K>, name: &str, what: &str) -> Result<(), Diagnostics>
where
    K: kube::Resource + Clone + serde::de::DeserializeOwned + std::fmt::Debug,
{
    match api.delete(name, &kube::api::DeleteParams::default()).await {
        Ok(_) => Ok(()),
        Err(e) if is_not_found(&e) => Ok(()),
        Err(e) => Err(error(&format!("Deleting {what}"), &e)),
    }
}

/// Reads an object; `None` when it does not exist.
pub async fn get<K>(api: &kube::Api<K>, name: &str, what: &str) -> Result<Option<K>, Diagnostics>
where
    K: kube::Resource + Clone + serde::de::DeserializeOwned + std::fmt::Debug,
{
    api.get_opt(name)
        .await
        .map_err(|e| error(&format!("Reading {what}"), &e))
}
