//! All I/O of `hub_namespace`: server-side apply with hub's field manager, read with drift limited to what
//! hub manages, and a delete that waits until the namespace is gone (or explains what holds it).

use std::time::Duration;

use k8s_openapi::api::core::v1::Namespace;
use kube::Api;
use kube::api::{DeleteParams, Patch, PatchParams};

use crate::diag::Diagnostics;
use crate::framework::{ApplyOutcome, ProviderContext};
use crate::k8s;
use crate::resources::FIELD_MANAGER;
use crate::value::Value;

use super::render;
use super::schema::{NamespaceModel, parse_duration, state};

fn api(ctx: &ProviderContext) -> Result<Api<Namespace>, Diagnostics> {
    Ok(Api::all(ctx.kube()?))
}

pub(super) async fn create(ctx: &ProviderContext, planned: &Value) -> ApplyOutcome {
    let result = async {
        let model = NamespaceModel::from_value(planned)?;
        let api = api(ctx)?;
        let existing = api.get_opt(&model.name).await.map_err(|e| k8s::error("Reading namespace", &e))?;
        if existing.is_some() {
            return Err(Diagnostics::from_error(
                "Namespace Already Exists",
                format!(
                    "Namespace {:?} already exists and is not in this Terraform state. Import it with \
                     `terraform import <address> {}` to manage it with hub.",
                    model.name, model.name
                ),
            ));
        }
        apply(&api, &model).await
    }
    .await;
    match result {
        Ok(state) => ApplyOutcome::ok(state),
        Err(diags) => ApplyOutcome::failed(diags),
    }
}

pub(super) async fn update(ctx: &ProviderContext, planned: &Value) -> ApplyOutcome {
    let result = async {
        let model = NamespaceModel::from_value(planned)?;
        apply(&api(ctx)?, &model).await
    }
    .await;
    match result {
        Ok(state) => ApplyOutcome::ok(state),
        Err(diags) => ApplyOutcome::failed(diags),
    }
}

async fn apply(api: &Api<Namespace>, model: &NamespaceModel) -> Result<Value, Diagnostics> {
    let params = PatchParams::apply(FIELD_MANAGER).force();
    let ns = api
        .patch(&model.name, &params, &Patch::Apply(render::namespace(model)))
        .await
        .map_err(|e| k8s::error(&format!("Applying namespace {:?}", model.name), &e))?;
    Ok(state(model, ns.metadata.uid.as_deref().unwrap_or_default()))
}

pub(super) async fn read(ctx: &ProviderContext, prior: &Value) -> Result<Option<Value>, Diagnostics> {
    let model = NamespaceModel::from_value(prior)?;
    let Some(ns) = api(ctx)?.get_opt(&model.name).await.map_err(|e| k8s::error("Reading namespace", &e))? else {
        return Ok(None);
    };
    let seen = NamespaceModel {
        labels: render::managed_subset(&model.labels, ns.metadata.labels.as_ref()),
        annotations: render::managed_subset(&model.annotations, ns.metadata.annotations.as_ref()),
        ..model
    };
    Ok(Some(state(&seen, ns.metadata.uid.as_deref().unwrap_or_default())))
}

pub(super) async fn delete(ctx: &ProviderContext, prior: &Value) -> Diagnostics {
    let result = async {
        let model = NamespaceModel::from_value(prior)?;
        let api = api(ctx)?;
        match api.delete(&model.name, &DeleteParams::background()).await {
            Ok(_) => {}
            Err(e) if k8s::is_not_found(&e) => return Ok(()),
            Err(e) => return Err(k8s::error(&format!("Deleting namespace {:?}", model.name), &e)),
        }
        let timeout = parse_duration(&model.delete_timeout).unwrap_or(Duration::from_secs(300));
        wait_gone(ctx, &api, &model.name, timeout).await
    }
    .await;
    result.err().unwrap_or_default()
}

/// Polls until the namespace is gone; on timeout or Ctrl-C, reports what is still holding it.
async fn wait_gone(ctx: &ProviderContext, api: &Api<Namespace>, name: &str, timeout: Duration) -> Result<(), Diagnostics> {
    let deadline = tokio::time::Instant::now() + timeout;
    let mut interval = Duration::from_millis(200);
    loop {
        let ns = match api.get_opt(name).await {
            Ok(None) => return Ok(()),
            Ok(Some(ns)) => ns,
            Err(e) => return Err(k8s::error(&format!("Waiting for namespace {name:?} to be deleted"), &e)),
        };
        let why = if ctx.stop.is_cancelled() {
            "the operation was interrupted"
        } else if tokio::time::Instant::now() >= deadline {
            "the delete_timeout passed"
        } else {
            tokio::select! {
                _ = tokio::time::sleep(interval) => {}
                _ = ctx.stop.cancelled() => {}
            }
            interval = (interval * 2).min(Duration::from_secs(2));
            continue;
        };
        return Err(Diagnostics::from_error(
            "Namespace Still Terminating",
            format!(
                "Namespace {name:?} was asked to delete but still exists because {why}. {} It stays in the \
                 Terraform state; run destroy again once it can go, or raise delete_timeout.",
                holding(&ns)
            ),
        ));
    }
}

/// What the namespace controller says is left (remaining resources, finalizers).
fn holding(ns: &Namespace) -> String {
    let conditions = ns.status.as_ref().and_then(|s| s.conditions.as_ref());
    let reasons: Vec<String> = conditions
        .into_iter()
        .flatten()
        .filter(|c| c.status == "True" && c.type_.contains("Remaining"))
        .filter_map(|c| c.message.clone())
        .collect();
    let finalizers = ns.spec.as_ref().and_then(|s| s.finalizers.clone()).unwrap_or_default();
    match (reasons.is_empty(), finalizers.is_empty()) {
        (false, _) => format!("Kubernetes reports: {}.", reasons.join("; ")),
        (true, false) => format!("Its finalizers are still pending: {}.", finalizers.join(", ")),
        (true, true) => "Kubernetes reports nothing remaining yet.".into(),
    }
}
