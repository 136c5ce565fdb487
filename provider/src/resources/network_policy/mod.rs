//! `hub_network_policy`: a NetworkPolicy compiled from presets and custom rules, rendered at plan time.

mod enforcement;
mod model;
mod presets_back;
mod reconcile;
pub(crate) mod render;
mod reverse;
mod schema;
mod validate;

use async_trait::async_trait;

use crate::diag::Diagnostics;
use crate::framework::{ApplyOutcome, PlanChange, ProviderContext, Resource};
use crate::schema::{IdentitySchema, NamespacedName, Schema};
use crate::value::model::is_wholly_known;
use crate::value::{AttributePath, Tf};

use model::NetworkPolicyModel;

/// Reports, at `enforcement_check`, when the EKS cluster would store the policy without enforcing it.
async fn check_enforcement(ctx: &ProviderContext, change: &mut PlanChange<'_, NetworkPolicyModel>) {
    let mode = change.config.enforcement_check.as_deref().unwrap_or("warn");
    let cluster = change
        .config
        .cluster_name
        .get()
        .cloned()
        .or_else(|| ctx.cluster_name.clone());
    let Some(cluster) = cluster else { return };
    if mode == "off" || ctx.config_unknown() {
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
    type Model = NetworkPolicyModel;
    type Identity = NamespacedName;

    fn identity_schema(&self) -> IdentitySchema {
        NamespacedName::schema("network policy")
    }

    fn identity(&self, state: &NetworkPolicyModel) -> Option<NamespacedName> {
        NamespacedName::known(state.namespace.as_deref(), state.name.as_deref())
    }

    fn import_id(&self, identity: &NamespacedName) -> String {
        identity.import_id()
    }

    fn type_name(&self) -> &'static str {
        "hub_network_policy"
    }

    fn schema(&self) -> Schema {
        schema::schema()
    }

    fn validate(&self, config: &NetworkPolicyModel, diags: &mut Diagnostics) {
        validate::validate(config, diags);
        if is_wholly_known(config) {
            let m = config.policy();
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
    async fn modify_plan(&self, ctx: &ProviderContext, change: &mut PlanChange<'_, NetworkPolicyModel>) {
        check_enforcement(ctx, change).await;
        let planned = &mut change.planned;
        planned.rendered = if change.config_known {
            Tf::Known(render::rendered(&render::network_policy(&planned.policy())))
        } else {
            Tf::Unknown
        };
        planned.id = match (planned.namespace.get(), planned.name.get()) {
            (Some(ns), Some(name)) => Tf::Known(format!("{ns}/{name}")),
            _ => Tf::Unknown,
        };
    }

    async fn create(
        &self,
        ctx: &ProviderContext,
        planned: &NetworkPolicyModel,
        _: &NetworkPolicyModel,
    ) -> ApplyOutcome<NetworkPolicyModel> {
        reconcile::create(ctx, planned).await
    }

    async fn read(
        &self,
        ctx: &ProviderContext,
        state: &NetworkPolicyModel,
    ) -> Result<Option<NetworkPolicyModel>, Diagnostics> {
        reconcile::read(ctx, state).await
    }

    async fn update(
        &self,
        ctx: &ProviderContext,
        _: &NetworkPolicyModel,
        planned: &NetworkPolicyModel,
        _: &NetworkPolicyModel,
    ) -> ApplyOutcome<NetworkPolicyModel> {
        reconcile::apply(ctx, planned).await
    }

    async fn delete(&self, ctx: &ProviderContext, prior: &NetworkPolicyModel) -> Diagnostics {
        reconcile::delete(ctx, prior).await
    }

    fn import(&self, id: &str) -> Result<NetworkPolicyModel, Diagnostics> {
        reconcile::import_state(id)
    }
}

#[cfg(test)]
mod tests;
