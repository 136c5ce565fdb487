//! `hub_app`: one application as one typed, plannable, drift-aware resource. Every object is rendered at
//! plan time (no API call) into `rendered`, applied with server-side apply, and read back on owned fields.

mod adoption_restart;
mod api_defaults;
mod checks;
mod conflicts;
mod contradictions;
mod cron_jobs;
pub mod discovery;
pub mod discovery_config;
mod drift;
mod env_refs;
mod functions;
mod helm;
mod import_read;
mod imported;
mod imported_secret;
mod init_containers;
// Public items: the acceptance tests compile this file as a public module of their own.
#[allow(unreachable_pub)]
mod kinds;
mod live_order;
mod metrics;
mod migration;
mod migration_run;
#[cfg(test)]
mod migration_tests;
mod model;
mod moved;
mod ownership;
mod pod_defaults;
mod ports;
mod preflight;
mod reconcile;
#[cfg(test)]
mod reconcile_tests;
mod renames;
mod render;
mod replicas;
mod reserved;
mod reverse;
mod rollout;
mod scheduling;
mod schema;
mod service_ports;
mod shutdown;
mod takeover;
mod validate;
mod version_support;
#[cfg(test)]
mod version_support_tests;
mod volumes;

use async_trait::async_trait;

use crate::diag::Diagnostics;
use crate::framework::{ApplyOutcome, MoveSource, PlanChange, ProviderContext, Resource};
use crate::schema::validators::dns1123_label_problem;
use crate::schema::{IdentitySchema, NamespacedName, Schema};
use crate::value::Tf;

use model::AppModel;

pub(super) use functions::{AppLabels, ParseImage, Selector};

/// A create whose rollout failed is recorded with the failure: the next plan shows it (the value becomes
/// unknown) so the next apply retries the rollout in place. A create can fail the same way, so it is unknown.
fn plan_rollout_retry(change: &mut PlanChange<'_, AppModel>) {
    change.planned.last_rollout_error = match change.prior.map(|p| &p.last_rollout_error) {
        None => Tf::Unknown,
        Some(Tf::Known(failure)) => {
            change.diags.warning(
                "Last Rollout Failed",
                format!("The rollout of this app's create failed ({failure}); this apply retries it in place."),
            );
            Tf::Unknown
        }
        Some(other) => other.clone(),
    };
}

/// The `hub_app` resource type.
pub(super) struct AppResource;

/// Every check of a configuration alone, in one place so tests run exactly what validation runs.
pub(super) fn check_configuration(config: &AppModel, diags: &mut Diagnostics) {
    validate::validate(config, diags);
    checks::check(config, diags);
    reserved::check(config, diags);
    env_refs::check(config, diags);
    ports::check(config, diags);
    scheduling::check(config, diags);
    volumes::check(config, diags);
    cron_jobs::check(config, diags);
    migration::check(config, diags);
    shutdown::check(config, diags);
    metrics::check(config, diags);
    init_containers::check(config, diags);
    pod_defaults::check(config, diags);
}

/// Schema defaults the plan takes back where they do not apply: `replicas` beside an autoscaler
/// (`replicas.rs`), the pod template's under `pod_defaults = "none"` (`pod_defaults.rs`).
pub(super) fn conditional_defaults(planned: &mut AppModel, config: &AppModel, prior: Option<&AppModel>) {
    replicas::no_default_under_autoscaling(planned, config, prior);
    pod_defaults::plan(planned, config);
}

#[async_trait]
impl Resource for AppResource {
    type Model = AppModel;
    type Identity = NamespacedName;

    fn identity_schema(&self) -> IdentitySchema {
        NamespacedName::schema("app")
    }

    fn identity(&self, state: &AppModel) -> Option<NamespacedName> {
        NamespacedName::known(state.namespace.as_deref(), state.name.as_deref())
    }

    fn import_id(&self, identity: &NamespacedName) -> String {
        identity.import_id()
    }

    fn type_name(&self) -> &'static str {
        "hub_app"
    }

    fn schema(&self) -> Schema {
        schema::schema()
    }

    fn validate(&self, config: &AppModel, diags: &mut Diagnostics) {
        check_configuration(config, diags);
    }

    /// Renders every object into the plan, and derives the computed names, from configuration alone.
    async fn modify_plan(&self, ctx: &ProviderContext, change: &mut PlanChange<'_, AppModel>) {
        shutdown::plan(&mut change.planned, change.config);
        conditional_defaults(&mut change.planned, change.config, change.prior);
        let app = &change.planned;
        // Rendered once: the same objects make `rendered` and are what the dry-run checks.
        let rendered = change.config_known.then(|| {
            let revision = render::next_secret_revision(app, change.prior);
            (revision, render::objects(app, change.config, revision))
        });
        change.planned.rendered = match &rendered {
            Some((_, objects)) => Tf::Known(reconcile::rendered_of(objects)),
            None => Tf::Unknown,
        };
        imported_secret::warn_if_dropped(change.prior, &change.planned, &mut change.diags);
        pod_defaults::warn_unrolled(change.prior, &change.planned, &mut change.diags);
        plan_rollout_retry(change);
        // A change of it is the plan's promise that apply runs the migration (see `migration::due`).
        change.planned.migration_revision = migration::revision(&change.planned);
        if let Some(prior) = change.prior {
            volumes::check_claim_changes(prior, &change.planned, &mut change.diags);
        }
        // What apply will meet, where the cluster can be asked (not while its configuration is unknown).
        let mut replacements = Tf::Null;
        if let Some((revision, objects)) = &rendered
            && let Ok(client) = ctx.kube()
        {
            let findings = match renames::for_dry_run(&change.planned, objects, change.prior) {
                Some(checked) => {
                    let objects = render::objects(&checked, change.config, *revision);
                    preflight::check(&client, &checked, &objects, change.prior).await
                }
                None => preflight::check(&client, &change.planned, objects, change.prior).await,
            };
            change.diags.extend(findings.diags);
            change
                .diags
                .extend(adoption_restart::check(&client, &change.planned, objects, change.prior).await);
            change
                .diags
                .extend(helm::check(&client, &change.planned, objects, change.prior).await);
            if let Ok(cluster) = ctx.cluster() {
                change
                    .diags
                    .extend(version_support::check(cluster, &change.planned).await);
            }
            if !findings.replacements.is_empty() {
                replacements = Tf::Known(findings.replacements);
            }
        }
        change.planned.replacements = replacements;
        // Made at the first apply; kept for the life of the instance.
        change.planned.instance_id = match change.prior.map(|p| &p.instance_id) {
            Some(Tf::Known(id)) => Tf::Known(id.clone()),
            _ => Tf::Unknown,
        };
        let app = &change.planned;
        let names_known = app.name.get().is_some() && app.namespace.get().is_some();
        let (name, ns) = (app.name(), app.namespace());
        let or_unknown = |v: String| if names_known { Tf::Known(v) } else { Tf::Unknown };
        let chosen_known = match &app.pod_selector {
            Tf::Unknown => false,
            chosen => chosen.get().is_none_or(|m| m.values().all(|v| !v.is_unknown())),
        };
        let selector = if names_known && chosen_known {
            Tf::Known(render::selector(app))
        } else {
            Tf::Unknown
        };
        // The Service's own name when set (unknown while it is).
        let service_name_known = !app.service.get().is_some_and(|s| s.name.is_unknown());
        let dns_name = || {
            if service_name_known {
                or_unknown(format!("{}.{ns}.svc.cluster.local", app.service_name()))
            } else {
                Tf::Unknown
            }
        };
        let dns = match app.service.get().and_then(|s| s.enabled.value()) {
            Some(false) => Tf::Null,
            Some(true) => dns_name(),
            None if app.service.is_null() => dns_name(),
            None => Tf::Unknown,
        };
        let sa = &app.service_account;
        let sa_known = sa.is_null() || sa.get().is_some_and(|sa| !sa.name.is_unknown());
        let service_account_name = if sa_known {
            or_unknown(app.service_account_name())
        } else {
            Tf::Unknown
        };
        let id = or_unknown(format!("{ns}/{name}"));
        let planned = &mut change.planned;
        planned.selector = selector;
        planned.service_dns = dns;
        planned.service_account_name = service_account_name;
        planned.id = id;
    }

    /// Claims kept with their data are said in the destroy plan.
    fn plan_destroy(&self, prior: &AppModel, diags: &mut Diagnostics) {
        volumes::plan_destroy(prior, diags);
    }

    async fn create(&self, ctx: &ProviderContext, planned: &AppModel, config: &AppModel) -> ApplyOutcome<AppModel> {
        reconcile::apply(ctx, None, planned, config).await
    }

    async fn read(&self, ctx: &ProviderContext, state: &AppModel) -> Result<Option<AppModel>, Diagnostics> {
        reconcile::read(ctx, state).await
    }

    async fn update(
        &self,
        ctx: &ProviderContext,
        prior: &AppModel,
        planned: &AppModel,
        config: &AppModel,
    ) -> ApplyOutcome<AppModel> {
        reconcile::apply(ctx, Some(prior), planned, config).await
    }

    async fn delete(&self, ctx: &ProviderContext, prior: &AppModel) -> Diagnostics {
        reconcile::delete(ctx, prior).await
    }

    /// A Deployment of the kubernetes provider (`moved` from `kubernetes_deployment_v1` and the like), read
    /// back as import reads it, on top of the import skeleton for its `namespace/name` (see `moved`).
    fn move_state(&self, source: &MoveSource, diags: &mut Diagnostics) -> Option<AppModel> {
        let (ns, name, deployment) = moved::source_deployment(source, diags)?;
        let skeleton = self.import(&format!("{ns}/{name}")).map_err(|d| diags.extend(d)).ok()?;
        moved::app(skeleton, &deployment, diags)
    }

    /// Import by `namespace/name`; read then finds every object hub would have created under that name.
    fn import(&self, id: &str) -> Result<AppModel, Diagnostics> {
        let invalid = |why: String| {
            Diagnostics::from_error(
                "Invalid Import ID",
                format!("The import ID is `namespace/name`; {id:?} {why}."),
            )
        };
        let (ns, name) = id.split_once('/').ok_or_else(|| invalid("has no '/'".into()))?;
        for part in [ns, name] {
            if let Some(problem) = dns1123_label_problem(part, 63) {
                return Err(invalid(format!("has {part:?}, which {problem}")));
            }
        }
        Ok(AppModel {
            name: Tf::Known(name.to_owned()),
            namespace: Tf::Known(ns.to_owned()),
            id: Tf::Known(id.to_owned()),
            delete_timeout: Tf::Known(reconcile::DEFAULT_DELETE_TIMEOUT.to_owned()),
            ..AppModel::default()
        })
    }
}

#[cfg(test)]
mod tests;
