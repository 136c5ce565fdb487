//! The Kubernetes layer under the resources: one server-side apply path ([`Apply`]), reads and deletes
//! that treat "absent" as a value, one error type ([`Error`]) whose diagnostics say what to do, and the
//! names hub writes on objects ([`labels`]).

pub mod apply;
pub mod batch_read;
mod client;
mod cluster;
pub mod error;
#[cfg(test)]
pub(crate) mod fake;
#[cfg(test)]
mod fake_tests;
pub mod image;
pub mod labels;
pub mod network_rules;
pub mod poll;
pub mod quantity;
pub mod version;

pub use client::client;
pub use cluster::Cluster;

pub use apply::Apply;
pub use error::{Error, report};

use crate::diag::Diagnostics;

/// Server-side applies `object` as hub's field manager, forcing ownership of the fields hub sets.
pub async fn apply<K>(api: &kube::Api<K>, name: &str, object: &K, what: &str) -> Result<K, Diagnostics>
where
    K: kube::Resource + Clone + serde::Serialize + serde::de::DeserializeOwned + std::fmt::Debug,
{
    Apply::hub()
        .force(true)
        .send(api, name, object)
        .await
        .map_err(|e| e.diagnostics(&format!("Applying {what}")))
}

/// Deletes an object; already gone is success.
pub async fn delete<K>(api: &kube::Api<K>, name: &str, what: &str) -> Result<(), Diagnostics>
where
    K: kube::Resource + Clone + serde::de::DeserializeOwned + std::fmt::Debug,
{
    match api
        .delete(name, &kube::api::DeleteParams::default())
        .await
        .map_err(Error::from)
    {
        Ok(_) | Err(Error::NotFound(_)) => Ok(()),
        Err(e) => Err(e.diagnostics(&format!("Deleting {what}"))),
    }
}

/// Reads an object; `None` when it does not exist.
pub async fn get<K>(api: &kube::Api<K>, name: &str, what: &str) -> Result<Option<K>, Diagnostics>
where
    K: kube::Resource + Clone + serde::de::DeserializeOwned + std::fmt::Debug,
{
    api.get_opt(name)
        .await
        .map_err(|e| report(&format!("Reading {what}"), e))
}
