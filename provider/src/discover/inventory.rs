//! Everything `discover` read from one namespace, typed. Secrets are listed as metadata only (the API
//! server never sends their data to this process), so nothing downstream can print a value.

use k8s_openapi::Resource;
use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, StatefulSet};
use k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler;
use k8s_openapi::api::batch::v1::{CronJob, Job};
use k8s_openapi::api::core::v1::{ConfigMap, Namespace, Service, ServiceAccount};
use k8s_openapi::api::networking::v1::{Ingress, NetworkPolicy};
use k8s_openapi::api::policy::v1::PodDisruptionBudget;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

/// The namespace's objects, by kind, in the order the API server listed them.
#[derive(Debug, Clone, Default)]
pub struct Inventory {
    /// The namespace read.
    pub namespace: String,
    /// The Namespace object; `None` when the credentials may not get it (its import is then left out).
    pub namespace_object: Option<Namespace>,
    /// Deployments: each one an app.
    pub deployments: Vec<Deployment>,
    /// Services.
    pub services: Vec<Service>,
    /// Ingresses.
    pub ingresses: Vec<Ingress>,
    /// HorizontalPodAutoscalers.
    pub hpas: Vec<HorizontalPodAutoscaler>,
    /// PodDisruptionBudgets.
    pub pdbs: Vec<PodDisruptionBudget>,
    /// ConfigMaps.
    pub config_maps: Vec<ConfigMap>,
    /// Secrets: names, labels and annotations only.
    pub secrets: Vec<ObjectMeta>,
    /// ServiceAccounts.
    pub service_accounts: Vec<ServiceAccount>,
    /// NetworkPolicies.
    pub network_policies: Vec<NetworkPolicy>,
    /// StatefulSets (never mapped).
    pub stateful_sets: Vec<StatefulSet>,
    /// DaemonSets (never mapped).
    pub daemon_sets: Vec<DaemonSet>,
    /// CronJobs (mapped only as an app's `cron_jobs`).
    pub cron_jobs: Vec<CronJob>,
    /// Jobs (never mapped; those a CronJob started are not reported).
    pub jobs: Vec<Job>,
}

/// The object as the API server returns it on a GET, with `apiVersion` and `kind` (list items lack them),
/// for the `hub_app` functions that read JSON.
pub fn json<K: Resource + serde::Serialize>(object: &K) -> serde_json::Value {
    let mut value = serde_json::to_value(object).unwrap_or_default();
    value["apiVersion"] = K::API_VERSION.into();
    value["kind"] = K::KIND.into();
    value
}
