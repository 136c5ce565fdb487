//! `hub_network_policy`: a NetworkPolicy compiled from presets and custom rules, rendered at plan time.

mod enforcement;
mod model;
mod reconcile;
pub(crate) mod render;
mod schema;
mod validate;

use async_trait::async_trait;

use crate::diag::Diagnostics;
use crate::framework::{ApplyOutcome, PlanChange, ProviderContext, Resource};
use crate::schema::Schema;
use crate::value::{AttributePath, Value};

use model::PolicyModel;

/// Reports, at `enforcement_check`, when the EKS cluster would store the policy without enforcing it.
async fn check_enforcement(ctx: &ProviderContext, change: &mut PlanChange<'_>) {
    let text = |name: &str| change.config.attr(name).and_then(Value::as_str);
    let mode = text("enforcement_check").unwrap_or("warn");
    let cluster = text("cluster_name")
        .map(str::to_owned)
        .or_else(|| ctx.cluster_name.clone());
    let Some(cluster) = cluster else { return };
    if mode == "off" || ctx.config_unknown() || change.planned.is_null() {
        return;
    }
    let path = AttributePath::attr("enforcement_check");
    match enforcement::check(ctx, &cluster).await {
        enforcement::Verdict::Enforced => {}
        enforcement::Verdict::NotEnforced(why) if mode == "error" => change.diags.error_at(
            &path,
            "Network Policy Not Enforced",
            format!("EKS cluster {cluster:?}: {why}. (enforcement_check = \"error\")"),
        ),
        enforcement::Verdict::NotEnforced(why) => change.diags.warning_at(
            &path,
            "Network Policy Not Enforced",
            format!("EKS cluster {cluster:?}: {why}."),
        ),
        enforcement::Verdict::Undetermined(why) => change.diags.warning_at(
            &path,
            "Network Policy Enforcement Unknown",
            format!("hub could not tell whether EKS cluster {cluster:?} enforces NetworkPolicies: {why}."),
        ),
    }
}

/// The `hub_network_policy` resource type.
pub struct NetworkPolicyResource;

#[async_trait]
impl Resource for NetworkPolicyResource {
    type Model = Value;

    fn type_name(&self) -> &'static str {
        "hub_network_policy"
    }

    fn schema(&self) -> Schema {
        schema::schema()
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        validate::validate(config, diags);
        if config.is_wholly_known() {
            let m = PolicyModel::from_value(config);
            if !(m.deny_all_ingress || m.deny_all_egress || m.has_ingress_rules() || m.has_egress_rules()) {
                diags.error_at(
                    &AttributePath::root(),
                    "Empty Network Policy",
                    "Set at least one preset (deny_all_ingress, deny_all_egress, allow_dns, …) or rule. An empty \
                     policy would silently isolate the pods for ingress.",
                );
            }
        }
    }

    /// Renders the policy into the plan, so reviewers read exactly what will be applied, and checks that
    /// the cluster will enforce it.
    async fn modify_plan(&self, ctx: &ProviderContext, change: &mut PlanChange<'_>) {
        check_enforcement(ctx, change).await;
        let rendered = if change.config.is_wholly_known() {
            Value::string(render::rendered(&render::network_policy(&PolicyModel::from_value(
                &change.planned,
            ))))
        } else {
            Value::unknown()
        };
        if let Some(slot) = change.planned.attr_mut("rendered") {
            *slot = rendered;
        }
        let id = match (
            change.planned.attr("namespace").and_then(Value::as_str),
            change.planned.attr("name").and_then(Value::as_str),
        ) {
            (Some(ns), Some(name)) => Value::string(format!("{ns}/{name}")),
            _ => Value::unknown(),
        };
        if let Some(slot) = change.planned.attr_mut("id") {
            *slot = id;
        }
    }

    async fn create(&self, ctx: &ProviderContext, planned: &Value, _config: &Value) -> ApplyOutcome {
        reconcile::create(ctx, planned).await
    }

    async fn read(&self, ctx: &ProviderContext, state: &Value) -> Result<Option<Value>, Diagnostics> {
        reconcile::read(ctx, state).await
    }

    async fn update(&self, ctx: &ProviderContext, _prior: &Value, planned: &Value, _config: &Value) -> ApplyOutcome {
        reconcile::apply(ctx, planned).await
    }

    async fn delete(&self, ctx: &ProviderContext, prior: &Value) -> Diagnostics {
        reconcile::delete(ctx, prior).await
    }

    fn import(&self, id: &str) -> Result<Value, Diagnostics> {
        reconcile::import_state(id)
    }
}

#[cfg(test)]
mod tests;
