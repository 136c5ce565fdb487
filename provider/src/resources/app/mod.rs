//! `hub_app`: one application as one typed, plannable, drift-aware resource. Every object is rendered at
//! plan time (no API call) into `rendered`, applied with server-side apply, and read back on owned fields.

mod checks;
mod conflicts;
mod contradictions;
mod drift;
mod imported;
mod kinds;
mod model;
mod ownership;
mod preflight;
mod reconcile;
#[cfg(test)]
mod reconcile_tests;
mod renames;
mod render;
mod replicas;
mod reserved;
mod rollout;
mod schema;
mod service_ports;
mod takeover;
#[allow(dead_code)] // Until hub_app moves onto its typed model.
mod typed;
mod validate;

use async_trait::async_trait;

use crate::diag::Diagnostics;
use crate::framework::{ApplyOutcome, PlanChange, ProviderContext, Resource};
use crate::schema::Schema;
use crate::schema::validators::dns1123_label_problem;
use crate::value::Value;

use model::View;

/// A create whose rollout failed is recorded with the failure: the next plan shows it (the value becomes
/// unknown) so the next apply retries the rollout in place. A create can fail the same way, so it is unknown.
fn plan_rollout_retry(change: &mut PlanChange<'_>) {
    let last = change.prior.and_then(|p| p.attr("last_rollout_error")).cloned();
    let planned = match last {
        None => Value::unknown(),
        Some(Value::String(failure)) => {
            change.diags.warning(
                "Last Rollout Failed",
                format!("The rollout of this app's create failed ({failure}); this apply retries it in place."),
            );
            Value::unknown()
        }
        Some(other) => other,
    };
    set(&mut change.planned, "last_rollout_error", planned);
}

/// The `hub_app` resource type.
pub struct AppResource;

fn set(v: &mut Value, name: &str, value: Value) {
    if let Some(slot) = v.attr_mut(name) {
        *slot = value;
    }
}

#[async_trait]
impl Resource for AppResource {
    type Model = Value;

    fn type_name(&self) -> &'static str {
        "hub_app"
    }

    fn schema(&self) -> Schema {
        schema::schema()
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        validate::validate(config, diags);
        checks::check(config, diags);
        reserved::check(config, diags);
    }

    /// Renders every object into the plan, and derives the computed names, from configuration alone.
    async fn modify_plan(&self, ctx: &ProviderContext, change: &mut PlanChange<'_>) {
        let known = change.config.is_wholly_known();
        let planned = change.planned.clone();
        let app = View(&planned);
        let rendered = if known {
            let revision = render::next_secret_revision(app, change.prior.map(View));
            reconcile::keep_equivalent_text(reconcile::rendered(app, View(change.config), revision), change.prior)
        } else {
            Value::unknown()
        };
        let rendered_known = !rendered.is_unknown();
        set(&mut change.planned, "rendered", rendered);
        plan_rollout_retry(change);
        // What apply will meet, where the cluster can be asked (not while its configuration is unknown).
        let mut replacements = Value::Null;
        if rendered_known && let Ok(client) = ctx.kube() {
            let planned = renames::for_dry_run(&change.planned, change.config, change.prior);
            let findings = preflight::check(&client, View(&planned), View(change.config), change.prior.map(View)).await;
            change.diags.extend(findings.diags);
            if !findings.replacements.is_empty() {
                replacements = Value::Map(
                    findings
                        .replacements
                        .into_iter()
                        .map(|(k, v)| (k, Value::string(v)))
                        .collect(),
                );
            }
        }
        set(&mut change.planned, "replacements", replacements);
        // Made at the first apply; kept for the life of the instance.
        let instance = change
            .prior
            .and_then(|p| p.attr("instance_id"))
            .filter(|id| id.as_str().is_some())
            .cloned()
            .unwrap_or_else(Value::unknown);
        set(&mut change.planned, "instance_id", instance);
        let names_known = app.get("name").as_str().is_some() && app.get("namespace").as_str().is_some();
        let (name, ns) = (app.name(), app.namespace());
        let or_unknown = |v: Value| if names_known { v } else { Value::unknown() };
        set(
            &mut change.planned,
            "selector",
            or_unknown(Value::Map(
                render::selector(app)
                    .into_iter()
                    .map(|(k, v)| (k, Value::String(v)))
                    .collect(),
            )),
        );
        let service_enabled = app.get("service").attr("enabled").and_then(Value::as_bool);
        // The Service's own name when set (unknown while it is).
        let service_name_known = !app.get("service").attr("name").is_some_and(Value::is_unknown);
        let service = app.service_name();
        let dns_name = || {
            if service_name_known {
                or_unknown(Value::string(format!("{service}.{ns}.svc.cluster.local")))
            } else {
                Value::unknown()
            }
        };
        let dns = match service_enabled {
            Some(false) => Value::Null,
            Some(true) => dns_name(),
            None if app.get("service").is_null() => dns_name(),
            None => Value::unknown(),
        };
        set(&mut change.planned, "service_dns", dns);
        let sa_known = app.get("service_account").is_null()
            || app.get("service_account").attr("name").is_some_and(|v| !v.is_unknown());
        set(
            &mut change.planned,
            "service_account_name",
            if sa_known {
                or_unknown(Value::string(app.service_account_name()))
            } else {
                Value::unknown()
            },
        );
        set(
            &mut change.planned,
            "id",
            or_unknown(Value::string(format!("{ns}/{name}"))),
        );
    }

    async fn create(&self, ctx: &ProviderContext, planned: &Value, config: &Value) -> ApplyOutcome {
        reconcile::apply(ctx, None, planned, config).await
    }

    async fn read(&self, ctx: &ProviderContext, state: &Value) -> Result<Option<Value>, Diagnostics> {
        reconcile::read(ctx, state).await
    }

    async fn update(&self, ctx: &ProviderContext, prior: &Value, planned: &Value, config: &Value) -> ApplyOutcome {
        reconcile::apply(ctx, Some(prior), planned, config).await
    }

    async fn delete(&self, ctx: &ProviderContext, prior: &Value) -> Diagnostics {
        reconcile::delete(ctx, prior).await
    }

    /// Import by `namespace/name`; read then finds every object hub would have created under that name.
    fn import(&self, id: &str) -> Result<Value, Diagnostics> {
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
        let crate::value::Type::Object(attrs) = schema::schema().implied_type() else {
            return Err(invalid("cannot be represented".into()));
        };
        let mut state: std::collections::BTreeMap<String, Value> =
            attrs.keys().map(|k| (k.clone(), Value::Null)).collect();
        state.insert("name".into(), Value::string(name));
        state.insert("namespace".into(), Value::string(ns));
        state.insert("id".into(), Value::string(id));
        state.insert(
            "delete_timeout".into(),
            Value::string(reconcile::DEFAULT_DELETE_TIMEOUT),
        );
        Ok(Value::Object(state))
    }
}

#[cfg(test)]
mod tests;
