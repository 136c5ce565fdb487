//! Running the migration Job before the Deployment changes, explaining a failed one (the Job's reason and
//! the last lines of its pod's log, secret values masked), and deleting the app's migration Jobs on destroy.

use std::time::Duration;

use k8s_openapi::api::batch::v1::Job;
use k8s_openapi::api::core::v1::Pod;
use kube::api::{DeleteParams, ListParams, LogParams};
use kube::{Api, Client};
use serde_json::Value as Json;

use crate::diag::Diagnostics;
use crate::framework::ProviderContext;
use crate::k8s;
use crate::k8s::poll::{self, Waited};

use super::migration::{self, CONTAINER, MIGRATION_LABEL};
use super::model::AppModel;
use super::ownership;
use super::render::{self, INSTANCE_ANNOTATION, MASKED};

/// Log lines shown from a failed migration pod.
const TAIL_LINES: i64 = 20;

/// A log request goes through the node's kubelet: one that does not answer must not hold up the error.
const LOG_TIMEOUT: Duration = Duration::from_secs(5);

/// How long a failed Job of the same revision may take to go before it runs again.
const GONE_TIMEOUT: Duration = Duration::from_secs(120);

/// How a Job stands.
#[derive(Debug, PartialEq)]
pub(super) enum Outcome {
    Running,
    Succeeded,
    /// The Job's `Failed` condition: reason and message.
    Failed(String),
}

/// The Job's outcome from its conditions.
pub(super) fn outcome(job: &Job) -> Outcome {
    let conditions = job.status.iter().flat_map(|s| s.conditions.iter().flatten());
    for c in conditions.filter(|c| c.status == "True") {
        match c.type_.as_str() {
            "Complete" => return Outcome::Succeeded,
            "Failed" => {
                let reason = c.reason.clone().unwrap_or_else(|| "Failed".into());
                let message = c.message.clone().map(|m| format!(": {m}")).unwrap_or_default();
                return Outcome::Failed(format!("{reason}{message}"));
            }
            _ => {}
        }
    }
    Outcome::Running
}

/// Runs the migration when this apply is due to (see `migration::due`) and waits for it. `Err` stops the
/// apply before the Deployment is touched.
pub(super) async fn run_if_due(
    ctx: &ProviderContext,
    client: &Client,
    (prior, app, config): (Option<&AppModel>, &AppModel, &AppModel),
    deployment: &Json,
    instance: &str,
) -> Result<(), Diagnostics> {
    let (Some(revision), Some(m)) = (migration::due(app, prior), app.migration.get()) else {
        return Ok(());
    };
    let Some(mut job) = migration::job(app, deployment, revision) else {
        return Ok(());
    };
    ownership::stamp(&mut job.manifest, instance, false);
    let ns = app.namespace();
    let name = migration::job_name(app.name(), revision);
    let jobs: Api<Job> = Api::namespaced(client.clone(), ns);
    let existing = jobs.get_opt(&name).await.map_err(|e| report(ns, &name, e))?;
    match existing.as_ref().map(outcome) {
        // The same revision already ran (an apply whose rollout then failed): it is not run twice.
        Some(Outcome::Succeeded) => return Ok(()),
        // Still running (an interrupted apply): waited for below.
        Some(Outcome::Running) => {}
        Some(Outcome::Failed(_)) => {
            remove_failed(ctx, &jobs, ns, &name).await?;
            create(&jobs, ns, &name, &job.manifest).await?;
        }
        None => create(&jobs, ns, &name, &job.manifest).await?,
    }
    let (jobs_ref, name_ref) = (&jobs, name.as_str());
    let finished = move || async move {
        let now = jobs_ref.get_opt(name_ref).await?.map(|j| outcome(&j));
        Ok::<_, kube::Error>(match now {
            Some(Outcome::Succeeded) => Some(Ok(())),
            Some(Outcome::Failed(why)) => Some(Err(why)),
            // A Job deleted meanwhile (by hand) cannot finish.
            None => Some(Err("the Job was deleted while apply waited for it".to_owned())),
            Some(Outcome::Running) => None,
        })
    };
    // The Job's own deadline fails it at `timeout`; apply waits a little longer to read why.
    let waited = poll::until(&ctx.stop, migration::timeout(m) + Duration::from_secs(30), finished).await;
    let why = match waited {
        Ok(Ok(())) => return Ok(()),
        Ok(Err(why)) => why,
        Err(Waited::Failed(e)) => return Err(report(ns, &name, e)),
        Err(other) => format!(
            "it had not finished when {}",
            other.reason("migration timeout").unwrap_or_default()
        ),
    };
    let secrets: Vec<String> = render::secret_data(app, config).into_values().collect();
    let pod = explain_pod(client, ns, &name, &secrets).await;
    Err(Diagnostics::from_error(
        "Migration Failed",
        format!(
            "The migration Job {ns}/{name} failed ({why}).{pod}\n\nThe Deployment was not changed: the running version \
             keeps serving. Fix the migration or the image and apply again; the migration runs again then."
        ),
    ))
}

async fn create(jobs: &Api<Job>, ns: &str, name: &str, manifest: &Json) -> Result<(), Diagnostics> {
    k8s::Apply::hub()
        .send(jobs, name, manifest)
        .await
        .map(drop)
        .map_err(|e| e.diagnostics(&format!("Creating the migration Job {ns}/{name}")))
}

fn report(ns: &str, name: &str, e: kube::Error) -> Diagnostics {
    k8s::Error::from(e).diagnostics(&format!("Reading the migration Job {ns}/{name}"))
}

/// Deletes a failed Job of this revision (its pods go with it) and waits until it has gone, so the same
/// name can run again.
async fn remove_failed(ctx: &ProviderContext, jobs: &Api<Job>, ns: &str, name: &str) -> Result<(), Diagnostics> {
    if let Err(e) = jobs.delete(name, &DeleteParams::background()).await {
        let e = k8s::Error::from(e);
        if e.is_not_found() {
            return Ok(());
        }
        return Err(e.diagnostics(&format!("Deleting the failed migration Job {ns}/{name}")));
    }
    let gone = move || async move { Ok::<_, kube::Error>(jobs.get_opt(name).await?.is_none().then_some(())) };
    match poll::until(&ctx.stop, GONE_TIMEOUT, gone).await {
        Ok(()) => Ok(()),
        Err(Waited::Failed(e)) => Err(report(ns, name, e)),
        Err(other) => Err(Diagnostics::from_error(
            "Migration Not Retried",
            format!(
                "The failed migration Job {ns}/{name} was deleted to run again, but it was still there when {}.",
                other.reason("2m").unwrap_or_default()
            ),
        )),
    }
}

/// What the Job's newest pod says: the last lines of its log, or, when the log cannot be read (no kubelet
/// answers), its container's termination reason and exit code.
pub(super) async fn explain_pod(client: &Client, ns: &str, job: &str, secrets: &[String]) -> String {
    let pods: Api<Pod> = Api::namespaced(client.clone(), ns);
    let selector = format!("batch.kubernetes.io/job-name={job}");
    let Ok(list) = pods.list(&ListParams::default().labels(&selector)).await else {
        return String::new();
    };
    let Some(pod) = list
        .items
        .iter()
        .max_by_key(|p| p.metadata.creation_timestamp.as_ref().map(|t| t.0))
    else {
        return " No pod of it was found.".into();
    };
    let pod_name = pod.metadata.name.clone().unwrap_or_default();
    let state = termination(pod);
    let params = LogParams {
        container: Some(CONTAINER.into()),
        tail_lines: Some(TAIL_LINES),
        ..LogParams::default()
    };
    let log = match tokio::time::timeout(LOG_TIMEOUT, pods.logs(&pod_name, &params)).await {
        Ok(Ok(text)) if !text.trim().is_empty() => Some(mask(&text, secrets)),
        _ => None,
    };
    match log {
        Some(lines) => format!(" Pod {pod_name}{state}. Last log lines:\n{}", lines.trim_end()),
        None => format!(" Pod {pod_name}{state}; its log could not be read."),
    }
}

/// `: exit code 1 (Error: message)` from the container's termination, or the pod's own reason.
fn termination(pod: &Pod) -> String {
    let Some(status) = pod.status.as_ref() else {
        return String::new();
    };
    let terminated = status
        .container_statuses
        .iter()
        .flatten()
        .filter(|c| c.name == CONTAINER)
        .find_map(|c| c.state.as_ref()?.terminated.as_ref());
    if let Some(t) = terminated {
        let reason = t.reason.clone().unwrap_or_default();
        let message = t.message.clone().map(|m| format!(": {m}")).unwrap_or_default();
        return format!(": exit code {} ({reason}{message})", t.exit_code);
    }
    match (&status.reason, &status.message) {
        (Some(r), Some(m)) => format!(": {r}: {m}"),
        (Some(r), None) => format!(": {r}"),
        (None, Some(m)) => format!(": {m}"),
        (None, None) => status.phase.clone().map(|p| format!(": {p}")).unwrap_or_default(),
    }
}

/// The text with every secret value of the app masked.
fn mask(text: &str, secrets: &[String]) -> String {
    secrets
        .iter()
        .filter(|s| !s.is_empty())
        .fold(text.to_owned(), |t, s| t.replace(s.as_str(), MASKED))
}

/// Deletes the app's migration Jobs that this instance made (destroy), their pods with them.
pub(super) async fn delete_jobs(client: &Client, app: &AppModel, instance: Option<&str>) -> Diagnostics {
    let ns = app.namespace();
    let jobs: Api<Job> = Api::namespaced(client.clone(), ns);
    let selector = format!("{MIGRATION_LABEL}={}", app.name());
    let list = match jobs.list(&ListParams::default().labels(&selector)).await {
        Ok(list) => list,
        Err(e) => {
            return k8s::Error::from(e).diagnostics(&format!("Listing the migration Jobs of {ns}/{}", app.name()));
        }
    };
    let mut diags = Diagnostics::new();
    for job in list.items {
        let theirs = job
            .metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get(INSTANCE_ANNOTATION))
            .map(String::as_str);
        if instance.is_some() && theirs != instance {
            continue;
        }
        let name = job.metadata.name.clone().unwrap_or_default();
        match jobs.delete(&name, &DeleteParams::background()).await {
            Ok(_) => {}
            Err(e) => {
                let e = k8s::Error::from(e);
                if !e.is_not_found() {
                    diags.extend(e.diagnostics(&format!("Deleting the migration Job {ns}/{name}")));
                }
            }
        }
    }
    diags
}
