//! Waiting for a Deployment's rollout, and explaining a failed one from pod status: image pull errors,
//! crash loops with exit codes (of init containers and sidecars too), failing readiness, unschedulable pods.

use std::time::Duration;

use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
use k8s_openapi::api::core::v1::Pod;
use kube::Api;
use kube::api::ListParams;

use crate::framework::ProviderContext;
use crate::k8s::poll::{self, Waited};

/// Why a rollout did not finish.
pub(crate) struct RolloutFailure {
    /// What happened (timeout or interruption) and what the pods say.
    pub detail: String,
    /// The rollout ran its full time and the pods never became available (not an interruption, not an
    /// unreachable cluster): the objects are sound, only the pods are not.
    pub timed_out: bool,
}

/// Whether the Deployment's latest generation is fully rolled out and available.
fn complete(d: &Deployment) -> bool {
    let (Some(spec), Some(status)) = (&d.spec, &d.status) else {
        return false;
    };
    let want = spec.replicas.unwrap_or(1);
    let generation = d.metadata.generation.unwrap_or(0);
    status.observed_generation.unwrap_or(0) >= generation
        && status.updated_replicas.unwrap_or(0) >= want
        && status.replicas.unwrap_or(0) == status.updated_replicas.unwrap_or(0)
        && status.available_replicas.unwrap_or(0) >= want
}

/// Polls until the rollout completes, `timeout` passes or the operation is stopped. `pods` is the
/// Deployment's label selector (`key=value,…`), to explain a failure from its ReplicaSets and pods.
pub(crate) async fn wait(
    ctx: &ProviderContext,
    client: kube::Client,
    (namespace, name): (&str, &str),
    pods: &str,
    timeout: Duration,
) -> Result<(), RolloutFailure> {
    let api: Api<Deployment> = Api::namespaced(client.clone(), namespace);
    let api = &api;
    let waited = poll::until(&ctx.stop, timeout, move || async move {
        api.get_opt(name).await.map(|d| d.filter(complete).map(drop))
    })
    .await;
    let timed_out = matches!(waited, Err(Waited::TimedOut));
    let why = match waited {
        Ok(()) => return Ok(()),
        Err(Waited::Failed(e)) => {
            return Err(RolloutFailure {
                detail: format!("reading the Deployment failed: {e}"),
                timed_out: false,
            });
        }
        Err(other) => other.reason("rollout timeout").unwrap_or_default(),
    };
    let refused = refused_pods(client.clone(), namespace, pods).await;
    let pods = explain_pods(client, namespace, pods).await;
    Err(RolloutFailure {
        detail: format!("Deployment {namespace}/{name} did not become available: {why}. {refused}{pods}"),
        timed_out,
    })
}

/// Pods the API server refused to create (an exceeded ResourceQuota, a LimitRange, Pod Security), from the
/// `ReplicaFailure` condition of the app's ReplicaSets; Kubernetes' message names the quota and the amounts.
async fn refused_pods(client: kube::Client, namespace: &str, selector: &str) -> String {
    let api: Api<ReplicaSet> = Api::namespaced(client, namespace);
    let Ok(sets) = api.list(&ListParams::default().labels(selector)).await else {
        return String::new();
    };
    let mut reasons: Vec<String> = sets
        .items
        .iter()
        .flat_map(|rs| rs.status.iter().flat_map(|s| s.conditions.iter().flatten()))
        .filter(|c| c.type_ == "ReplicaFailure" && c.status == "True")
        .filter_map(|c| c.message.clone())
        .collect();
    reasons.sort();
    reasons.dedup();
    if reasons.is_empty() {
        return String::new();
    }
    let hint = if reasons.iter().any(|r| r.contains("exceeded quota")) {
        " The namespace's ResourceQuota is full: raise it (hub_namespace.resource_quota) or lower this app's \
         resources or replicas."
    } else {
        ""
    };
    format!("Pods could not be created: {}.{hint} ", reasons.join("; "))
}

/// One line per unhealthy pod: pod, container and reason.
async fn explain_pods(client: kube::Client, namespace: &str, selector: &str) -> String {
    let api: Api<Pod> = Api::namespaced(client, namespace);
    let pods = match api.list(&ListParams::default().labels(selector)).await {
        Ok(list) => list.items,
        Err(e) => return format!("Listing its pods failed: {e}."),
    };
    let mut lines: Vec<String> = pods.iter().filter_map(pod_problem).collect();
    lines.sort();
    lines.dedup();
    if lines.is_empty() {
        "No pod reports a problem yet.".into()
    } else {
        format!("Pods: {}.", lines.join("; "))
    }
}

/// Reasons a container waits for that are no problem: it is being created, or its init containers run.
const STARTING: &[&str] = &["ContainerCreating", "PodInitializing"];

fn pod_problem(pod: &Pod) -> Option<String> {
    let name = pod.metadata.name.clone().unwrap_or_default();
    let status = pod.status.as_ref()?;
    // Init containers first: while one fails, the app's container waits for it.
    let init = status
        .init_container_statuses
        .iter()
        .flatten()
        .map(|cs| ("init container", cs));
    let main = status.container_statuses.iter().flatten().map(|cs| ("container", cs));
    for (what, cs) in init.chain(main) {
        if let Some(w) = cs.state.as_ref().and_then(|s| s.waiting.as_ref()) {
            let reason = w.reason.clone().unwrap_or_default();
            if !reason.is_empty() && !STARTING.contains(&reason.as_str()) {
                let exit = cs
                    .last_state
                    .as_ref()
                    .and_then(|s| s.terminated.as_ref())
                    .map(|t| format!(", last exit code {}", t.exit_code))
                    .unwrap_or_default();
                let msg = w.message.clone().map(|m| format!(" ({m})")).unwrap_or_default();
                return Some(format!("{name} {what} {}: {reason}{exit}{msg}", cs.name));
            }
        }
        // A running init container is not ready until it finishes: only the app's container is judged.
        if what == "container" && !cs.ready && cs.state.as_ref().is_some_and(|s| s.running.is_some()) {
            return Some(format!(
                "{name} {what} {}: running but not ready (readiness probe failing)",
                cs.name
            ));
        }
    }
    for c in status.conditions.iter().flatten() {
        if c.type_ == "PodScheduled" && c.status == "False" {
            return Some(format!(
                "{name}: unschedulable ({})",
                c.message.clone().unwrap_or_default()
            ));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crash_looping_init_container_is_named_before_the_waiting_app_container() {
        let pod: Pod = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "api-1"},
            "status": {
                "phase": "Pending",
                "initContainerStatuses": [{"name": "migrate", "image": "x", "imageID": "", "ready": false, "restartCount": 3,
                    "state": {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off 10s"}},
                    "lastState": {"terminated": {"exitCode": 2}}}],
                "containerStatuses": [{"name": "api", "image": "x", "imageID": "", "ready": false, "restartCount": 0,
                    "state": {"waiting": {"reason": "PodInitializing"}}}],
            },
        }))
        .expect("a pod");
        assert_eq!(
            pod_problem(&pod).as_deref(),
            Some("api-1 init container migrate: CrashLoopBackOff, last exit code 2 (back-off 10s)")
        );
    }
}
