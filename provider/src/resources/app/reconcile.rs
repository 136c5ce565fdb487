//! All I/O of `hub_app`: server-side apply of every rendered object in order (conflicts reported by manager
//! and field unless `force_conflicts`), removal of objects no longer rendered, rollout waiting, drift read
//! on owned fields, and deletion in reverse order.

use std::collections::BTreeMap;
use std::time::Duration;

use futures_util::future::try_join_all;
use kube::api::{ApiResource, DynamicObject, GroupVersionKind};
use kube::{Api, Client};
use serde_json::Value as Json;

use crate::diag::Diagnostics;
use crate::framework::{ApplyOutcome, ProviderContext};
use crate::k8s;
use crate::k8s::poll::{self, Waited};
use crate::schema::duration::parse_duration;
use crate::value::Tf;

use super::conflicts::{self, Verdict};
use super::imported::imported;
use super::kinds::{self, APP_KINDS};
use super::model::{AppModel, Strings};
use super::ownership::{self, Deleted};
use super::render::{self, Object};
use super::{
    drift, live_order, migration_run, renames, replicas, rollout, service_ports, takeover, version_support, volumes,
};

fn api_resource(kind: &str) -> ApiResource {
    match kinds::find(kind) {
        Some(k) => ApiResource::from_gvk_with_plural(&GroupVersionKind::gvk(k.group(), k.version(), kind), k.plural),
        None => ApiResource::from_gvk(&GroupVersionKind::gvk("", "v1", kind)),
    }
}

pub(super) fn api(client: &Client, namespace: &str, kind: &str) -> Api<DynamicObject> {
    Api::namespaced_with(client.clone(), namespace, &api_resource(kind))
}

fn split_key(key: &str) -> (&str, &str) {
    key.split_once('/').unwrap_or((key, ""))
}

/// The `rendered` attribute for a configuration (secrets masked).
#[cfg(test)]
pub(super) fn rendered(app: &AppModel, config: &AppModel, secret_revision: u64) -> Strings {
    rendered_of(&render::objects(app, config, secret_revision))
}

/// The `rendered` attribute for objects already rendered (secrets masked).
pub(super) fn rendered_of(objects: &[render::Object]) -> Strings {
    objects.iter().map(|o| (o.key.clone(), render::shown(o))).collect()
}

/// Creates or updates every object, removes those no longer rendered, then waits for the rollout. A create
/// that returns a state (even a partial one) marks its instance complete.
pub(super) async fn apply(
    ctx: &ProviderContext,
    prior: Option<&AppModel>,
    planned: &AppModel,
    config: &AppModel,
) -> ApplyOutcome<AppModel> {
    let client = match ctx.kube() {
        Ok(c) => c,
        Err(d) => return ApplyOutcome::failed(d),
    };
    // The instance id: kept from the plan (prior state), made on create and on the first apply after an
    // import of objects no hub_app marked.
    let instance = match planned.instance_id.get() {
        Some(id) => id.to_owned(),
        None => match ownership::new_instance_id() {
            Ok(id) => id,
            Err(d) => return outcome(prior, planned, &[], d),
        },
    };
    // Checked at plan too, unless the cluster was unknown then: before anything is written.
    if let Ok(cluster) = ctx.cluster() {
        let refused = version_support::check(cluster, planned).await;
        if refused.has_errors() {
            return outcome(prior, planned, &[], refused);
        }
    }
    let mut planned = planned.clone();
    planned.instance_id = Tf::Known(instance.clone());
    let (mut result, deployment_written) = apply_objects(ctx, &client, prior, &planned, config, &instance).await;
    let app = &planned;
    // Only a Deployment this apply wrote carries this instance's id: never mark another instance's.
    if prior.is_none() && result.state.is_some() && deployment_written {
        let deployments = api(&client, app.namespace(), "Deployment");
        if let Err(d) = ownership::mark_complete(&deployments, app.name()).await {
            // The next update marks it too; a failed mark must not taint an app that was created.
            for problem in d.iter() {
                result.diags.warning(problem.summary.clone(), problem.detail.clone());
            }
        }
    }
    // An update that stopped after writing keeps the prior state, but the objects it wrote carry the new
    // instance id: keep that id, so the next apply and destroy recognise them.
    if let (Some(state), true) = (result.state.as_mut(), prior.is_some())
        && state.instance_id.get().is_none()
    {
        state.instance_id = Tf::Known(instance);
    }
    result
}

async fn apply_objects(
    ctx: &ProviderContext,
    client: &Client,
    prior: Option<&AppModel>,
    planned: &AppModel,
    config: &AppModel,
    instance: &str,
) -> (ApplyOutcome<AppModel>, bool) {
    let app = planned;
    let ns = app.namespace();
    let revision = render::recorded_secret_revision(app);
    let mut objects = render::objects(app, config, revision);
    let mut diags = Diagnostics::new();
    // Objects this instance has not applied before must not belong to anyone else. After an import (no
    // instance id in prior state yet) the user has said the app is theirs, so nothing is checked.
    let applied_before = prior.and_then(|p| p.rendered.get().cloned()).unwrap_or_default();
    let prior_instance = prior.and_then(|p| p.instance_id.as_deref());
    if prior.is_none() || prior_instance.is_some() {
        let new: Vec<&Object> = objects
            .iter()
            .filter(|o| !applied_before.contains_key(&o.key))
            .collect();
        let adopt = app.adopt_existing.value().unwrap_or(false);
        match ownership::check_new_objects(client, ns, &new, instance, adopt).await {
            Ok(warnings) => diags.extend(warnings),
            Err(refused) => return (outcome(prior, planned, &[], refused), false),
        }
    }
    for object in &mut objects {
        let complete = prior.is_some() && object.key.starts_with("Deployment/");
        ownership::stamp(&mut object.manifest, instance, complete);
    }
    let force = app.force_conflicts.value().unwrap_or(false);
    let server_side = k8s::Apply::hub().force(force);
    let mut written: Vec<&str> = Vec::new();
    let mut deployment_written = false;
    let mut seed = replicas::plan(app, prior);
    let replacements = app.replacements.get().cloned().unwrap_or_default();
    // Objects another tool made, taken over now: imported ones, or existing ones a create adopts.
    let adopting = match prior {
        Some(_) => prior_instance.is_none(),
        None => app.adopt_existing.value().unwrap_or(false),
    };
    // Fields count as hub's only where a hub_app applied them (see `conflicts`).
    let owned_before = if prior_instance.is_some() {
        applied_before.clone()
    } else {
        BTreeMap::new()
    };
    // A renamed Service keeping its fixed node port: the old one goes first (see `renames`).
    match renames::free_node_ports(ctx, client, ns, &applied_before, &objects, prior_instance).await {
        Ok(warnings) => diags.extend(warnings),
        Err(d) => {
            diags.extend(d);
            return (outcome(prior, planned, &written, diags), deployment_written);
        }
    }
    for object in &objects {
        let (kind, name) = split_key(&object.key);
        let api = api(client, ns, kind);
        // The migration runs after the objects its pod reads and before the Deployment changes.
        if kind == "Deployment"
            && let Err(d) =
                migration_run::run_if_due(ctx, client, (prior, app, config), &object.manifest, instance).await
        {
            diags.extend(d);
            let mut failed = outcome(prior, planned, &written, diags);
            if let (Some(state), None) = (failed.state.as_mut(), prior) {
                state.migration_revision = Tf::Null;
            }
            return (failed, deployment_written);
        }
        if replacements.contains_key(&object.key) {
            let running = match kind {
                "Deployment" => replicas::current(&api, name).await,
                _ => None,
            };
            if let Err(d) = replace(ctx, &api, ns, (kind, name), prior_instance).await {
                diags.extend(d);
                return (outcome(prior, planned, &written, diags), deployment_written);
            }
            // Made again, an autoscaled Deployment starts with the count it had.
            if kind == "Deployment" {
                seed = replicas::after_replacement(app, running);
            }
        }
        let takers = takeover::Takers {
            tools: force && adopting,
            helm: app.adopt_from_helm.value().unwrap_or(false),
        };
        if takers.any() {
            match takeover::take_over(&api, (kind, name), &object.manifest, takers).await {
                Ok(d) => diags.extend(d),
                Err(d) => {
                    diags.extend(d);
                    return (outcome(prior, planned, &written, diags), deployment_written);
                }
            }
        }
        if kind == "Deployment"
            && let replicas::Seed::BeforeApply(n) = seed
        {
            // Absent (deleted out of band): it is created below, then seeded like a new one.
            seed = match replicas::apply(&api, name, n).await {
                Ok(()) => replicas::Seed::None,
                Err(_) => replicas::Seed::AfterApply(n),
            };
        }
        // An adopted app's lists in the order they run (see `live_order`).
        let in_live_order;
        let manifest = if kind == "Deployment" && !app.hub_pod_defaults() {
            in_live_order = match k8s::get(&api, name, kind).await {
                Ok(Some(live)) => {
                    live_order::aligned(&object.manifest, &serde_json::to_value(&live).unwrap_or_default())
                }
                _ => object.manifest.clone(),
            };
            &in_live_order
        } else {
            &object.manifest
        };
        let mut applied = server_side.send(&api, name, manifest).await;
        if let Err(err) = &applied {
            let before = owned_before
                .get(&object.key)
                .and_then(|t| serde_json::from_str::<Json>(t).ok());
            if let Verdict::TakeBack(taken) = conflicts::judge(conflicts::of(err), before.as_ref())
                && !taken.is_empty()
            {
                diags.warning(
                    "Fields Taken Back",
                    format!(
                        "{kind} {ns}/{name}: {} had been changed outside Terraform; hub set them back.",
                        conflicts::describe(&taken)
                    ),
                );
                applied = server_side.force(true).send(&api, name, manifest).await;
            }
        }
        if (force || owned_before.contains_key(&object.key))
            && matches!(&applied, Err(e) if service_ports::collide(kind, e))
            && service_ports::replace_foreign(&api, name, &object.manifest).await
        {
            applied = server_side.send(&api, name, manifest).await;
        }
        let applied = match (applied, &seed) {
            (Ok(_), replicas::Seed::AfterApply(n)) if kind == "Deployment" => replicas::apply(&api, name, *n).await,
            (result, _) => result.map(drop),
        };
        if let Err(e) = applied {
            diags.extend(e.diagnostics(&format!("Applying {kind} {ns}/{name}")));
            if service_ports::collide(kind, &e) {
                diags.error(
                    "Service Port Changed Outside Terraform",
                    format!("A port of Service {ns}/{name} was changed by another tool, and its entry collides with hub's. Set force_conflicts = true to let hub replace the Service's ports."),
                );
            }
            if let k8s::Error::Conflict(_) = &e {
                diags.error(
                    "Field Owned By Another Manager",
                    format!(
                        "{kind} {ns}/{name}: fields hub never applied are held by another field manager: {}. \
                         Remove them from the configuration, or set force_conflicts = true to take them over.",
                        conflicts::describe(&conflicts::of(&e))
                    ),
                );
            }
            return (outcome(prior, planned, &written, diags), deployment_written);
        }
        written.push(&object.key);
        deployment_written |= kind == "Deployment";
    }
    let keep: Vec<&str> = objects.iter().map(|o| o.key.as_str()).collect();
    // Claims kept with their data when their volume leaves the app (see `volumes`).
    let retained = prior.map(volumes::retained).unwrap_or_default();
    for old in applied_before.keys() {
        if !keep.contains(&old.as_str()) {
            let (kind, name) = split_key(old);
            let api = api(client, ns, kind);
            if retained.contains(old) {
                match ownership::release(&api, ns, (kind, name), prior_instance).await {
                    Ok(said) | Err(said) => diags.extend(said),
                }
                continue;
            }
            match ownership::delete_owned(&api, ns, (kind, name), prior_instance).await {
                Ok(Deleted::Yes) => {}
                Ok(Deleted::LeftInPlace(warning)) => diags.extend(warning),
                Err(d) => diags.extend(d),
            }
        }
    }
    let rollout = app.rollout.get();
    let on_failure = rollout.and_then(|r| r.on_failure.as_deref());
    if rollout.and_then(|r| r.wait.value()).unwrap_or(true) {
        let timeout = rollout
            .and_then(|r| r.timeout.as_deref())
            .and_then(parse_duration)
            .unwrap_or(Duration::from_secs(300));
        if let Err(failure) = rollout::wait(
            ctx,
            client.clone(),
            (ns, app.name()),
            &render::label_selector(app),
            timeout,
        )
        .await
        {
            let rolled_back = match (on_failure, prior) {
                (Some("rollback"), Some(prior)) => roll_back(client, prior, instance).await,
                _ => None,
            };
            diags.error(
                "Rollout Failed",
                format!(
                    "{} {}",
                    failure.detail,
                    rolled_back.unwrap_or_else(|| "The new revision was kept; fix the cause and apply again.".into())
                ),
            );
            let outcome = match prior {
                // The previous state (with what this apply wrote) is kept, so the next plan shows the change
                // again; after a rollback, the previous revision runs.
                Some(p) if on_failure == Some("rollback") => ApplyOutcome::partial(p.clone(), diags),
                Some(_) => outcome(prior, planned, &written, diags),
                // A create with errors would be tainted, and Terraform would replace every object of the app
                // (the load balancer too): the app is recorded as created with the failure, which the next
                // plan shows, and the next apply retries the rollout in place.
                None if failure.timed_out => {
                    let mut state = planned.clone();
                    let failure = diags
                        .iter()
                        .find(|d| d.summary == "Rollout Failed")
                        .map(|d| d.detail.clone())
                        .unwrap_or_default();
                    state.last_rollout_error = Tf::Known(failure);
                    ApplyOutcome::partial(state, as_warnings(diags))
                }
                // Interrupted, or the cluster stopped answering: an error (the create is tainted).
                None => ApplyOutcome::partial(planned.clone(), diags),
            };
            return (outcome, deployment_written);
        }
    }
    let mut state = planned.clone();
    state.last_rollout_error = Tf::Null;
    (ApplyOutcome::partial(state, diags), deployment_written)
}

/// Errors downgraded to warnings (a create recorded despite a failed rollout).
fn as_warnings(diags: Diagnostics) -> Diagnostics {
    let mut out = Diagnostics::new();
    for d in diags.iter() {
        out.warning(d.summary.clone(), d.detail.clone());
    }
    out
}

/// Deletes an object the plan marked for replacement and waits until it has gone, so it can be created
/// again (immutable fields changed).
async fn replace(
    ctx: &ProviderContext,
    api: &Api<DynamicObject>,
    ns: &str,
    (kind, name): (&str, &str),
    instance: Option<&str>,
) -> Result<(), Diagnostics> {
    if let Deleted::LeftInPlace(why) = ownership::delete_owned(api, ns, (kind, name), instance).await? {
        let mut d = why;
        d.error(
            "Object Not Replaced",
            format!("{kind} {ns}/{name} had to be replaced (see `replacements`) but is no longer this app's."),
        );
        return Err(d);
    }
    let gone = move || async move { Ok(k8s::get(api, name, kind).await?.is_none().then_some(())) };
    match poll::until(&ctx.stop, Duration::from_secs(120), gone).await {
        Ok(()) => Ok(()),
        Err(Waited::Failed(d)) => Err(d),
        Err(other) => Err(Diagnostics::from_error(
            "Object Not Replaced",
            format!(
                "{kind} {ns}/{name} was deleted to be created again, but it was still there when {}.",
                other.reason("2m").unwrap_or_default()
            ),
        )),
    }
}

/// Re-applies the previous Deployment manifest (it holds no secret values, only their checksum).
async fn roll_back(client: &Client, prior: &AppModel, instance: &str) -> Option<String> {
    let app = prior;
    let key = format!("Deployment/{}", app.name());
    let mut manifest: Json = serde_json::from_str(app.rendered.get()?.get(&key)?).ok()?;
    ownership::stamp(&mut manifest, instance, true);
    let deployments = api(client, app.namespace(), "Deployment");
    match k8s::Apply::hub()
        .force(true)
        .send(&deployments, app.name(), &manifest)
        .await
    {
        Ok(_) => Some("The previous revision was re-applied (on_failure = \"rollback\").".into()),
        Err(e) => Some(format!("Rolling back to the previous revision failed too: {e}.")),
    }
}

/// The state after a failed apply. On update: the prior state, with the objects this apply wrote recorded
/// as written, so that destroy and the next apply account for every object (a new one included). On
/// create: everything planned once anything was written (Terraform taints it), nothing otherwise.
fn outcome(
    prior: Option<&AppModel>,
    planned: &AppModel,
    written: &[&str],
    diags: Diagnostics,
) -> ApplyOutcome<AppModel> {
    match (prior, written.is_empty()) {
        (Some(p), _) => {
            let mut state = p.clone();
            let now = planned.rendered.get();
            let mut recorded = p.rendered.get().cloned().unwrap_or_default();
            for key in written {
                if let Some(text) = now.and_then(|now| now.get(*key)) {
                    recorded.insert((*key).to_owned(), text.clone());
                }
            }
            state.rendered = Tf::Known(recorded);
            ApplyOutcome::partial(state, diags)
        }
        (None, false) => {
            let mut state = planned.clone();
            state.last_rollout_error = Tf::Null;
            ApplyOutcome::partial(state, diags)
        }
        (None, true) => ApplyOutcome::failed(diags),
    }
}

/// Reads every object in `rendered`: missing ones drop out of the map (so the next apply recreates them);
/// present ones are projected onto what hub applied, so only owned fields can differ. Right after an import
/// (no `rendered` yet) the app is read back whole from the live objects instead (see `import_read`).
pub(super) async fn read(ctx: &ProviderContext, prior: &AppModel) -> Result<Option<AppModel>, Diagnostics> {
    let client = ctx.kube()?;
    if prior.rendered.is_null() {
        return super::import_read::read(&client, prior).await;
    }
    let app = prior;
    let ns = app.namespace();
    let keys: Vec<String> = app
        .rendered
        .get()
        .into_iter()
        .flatten()
        .map(|(k, _)| k.clone())
        .collect();
    let applied = app.rendered.get();
    // All objects at once: a plan's first apps then wait for one round of reads, not eight in a row.
    let reads = keys.into_iter().map(|key| async {
        let (kind, name) = split_key(&key);
        let live = ctx.cluster()?.batched_get(ns, &api_resource(kind), name).await?;
        let text = live.map(|live| {
            let stored = applied.and_then(|a| a.get(&key));
            match stored.and_then(|t| serde_json::from_str::<Json>(t).ok().map(|desired| (t, desired))) {
                // Secret values are masked in state; only the object's presence is compared.
                Some((text, _)) if kind == "Secret" => text.clone(),
                Some((text, desired)) if drift::unchanged(&desired, &live) => text.clone(),
                Some((_, desired)) => serde_json::to_string(&drift::project(&desired, &live)).unwrap_or_default(),
                None => serde_json::to_string(&imported(kind, live)).unwrap_or_default(),
            }
        });
        Ok::<_, Diagnostics>(text.map(|text| (key, text)))
    });
    let seen: BTreeMap<String, String> = try_join_all(reads).await?.into_iter().flatten().collect();
    if !seen.keys().any(|k| k.starts_with("Deployment/")) {
        return Ok(None);
    }
    let mut state = prior.clone();
    state.rendered = Tf::Known(seen);
    // Replacements are what one apply did; once read back, there are none.
    state.replacements = Tf::Null;
    Ok(Some(state))
}

/// `delete_timeout` when unset (e.g. right after an import).
pub(super) const DEFAULT_DELETE_TIMEOUT: &str = "5m";

/// Deletes every object hub created, Ingress first and the ServiceAccount last; objects already gone are
/// fine. The Ingress must be gone before the rest goes: its finalizer (the AWS Load Balancer Controller)
/// deletes the load balancer, and the Service must stay until then for its targets to deregister.
pub(super) async fn delete(ctx: &ProviderContext, prior: &AppModel) -> Diagnostics {
    let client = match ctx.kube() {
        Ok(c) => c,
        Err(d) => return d,
    };
    let app = prior;
    let timeout = parse_duration(app.delete_timeout.as_deref().unwrap_or(DEFAULT_DELETE_TIMEOUT))
        .unwrap_or(Duration::from_secs(300));
    let mut diags = Diagnostics::new();
    let rendered = app.rendered.get().cloned().unwrap_or_default();
    let instance = app.instance_id.as_deref();
    // Only an app with a migration made Jobs (and needs the right to list them).
    if app.migration.is_set() || app.migration_revision.is_set() {
        diags.extend(migration_run::delete_jobs(&client, app, instance).await);
    }
    let retained = volumes::retained(app);
    for kind in APP_KINDS.iter().rev().map(|k| k.kind) {
        for key in rendered.keys().filter(|k| split_key(k).0 == kind) {
            let (_, name) = split_key(key);
            let api = api(&client, app.namespace(), kind);
            if retained.contains(key) {
                match ownership::release(&api, app.namespace(), (kind, name), instance).await {
                    Ok(said) | Err(said) => diags.extend(said),
                }
                continue;
            }
            let deleted = match ownership::delete_owned(&api, app.namespace(), (kind, name), instance).await {
                Ok(Deleted::Yes) => true,
                Ok(Deleted::LeftInPlace(warning)) => {
                    diags.extend(warning);
                    false
                }
                Err(d) => {
                    diags.extend(d);
                    false
                }
            };
            if deleted
                && kind == "Ingress"
                && let Err(d) = wait_gone(ctx, &api, (app.namespace(), name), timeout).await
            {
                // Keep everything else (and the state) so the next destroy picks up where this one stopped.
                diags.extend(d);
                return diags;
            }
        }
    }
    diags
}

/// Waits until a deleted object has left the API server; on timeout, names the finalizers holding it.
async fn wait_gone(
    ctx: &ProviderContext,
    api: &Api<DynamicObject>,
    (namespace, name): (&str, &str),
    timeout: Duration,
) -> Result<(), Diagnostics> {
    let gone = move || async move { Ok(k8s::get(api, name, "Ingress").await?.is_none().then_some(())) };
    let why = match poll::until(&ctx.stop, timeout, gone).await {
        Ok(()) => return Ok(()),
        Err(Waited::Failed(d)) => return Err(d),
        Err(other) => other.reason("delete_timeout").unwrap_or_default(),
    };
    let finalizers = match k8s::get(api, name, "Ingress").await? {
        None => return Ok(()),
        Some(live) => live.metadata.finalizers.unwrap_or_default().join(", "),
    };
    Err(Diagnostics::from_error(
        "Ingress Still Deleting",
        format!(
            "Ingress {namespace}/{name} was asked to delete but still exists because {why}; its finalizers are \
             pending: {finalizers}. The AWS Load Balancer Controller removes `ingress.k8s.aws/resources` once it \
             has deleted the load balancer: check that it runs and can reach AWS. The app's other objects and \
             its state were kept; run destroy again, or raise delete_timeout."
        ),
    ))
}
