//! `hub_irsa_binding`: an IAM role for one Kubernetes service account (IRSA), wired so it cannot be wired
//! wrong: the trust policy is generated from the cluster's OIDC provider ([`policy`], pure and golden-
//! tested), names and ARNs are validated before any write ([`validate`]), and IAM I/O with drift
//! detection lives in [`reconcile`].

mod adopt;
mod iam;
mod ownership;
mod policy;
mod reconcile;
mod schema;
mod validate;
mod verify;

use async_trait::async_trait;

use crate::diag::Diagnostics;
use crate::framework::{ApplyOutcome, PlanChange, ProviderContext, Resource};
use crate::schema::Schema;
use crate::value::Value;

/// The `hub_irsa_binding` resource type.
pub struct IrsaBindingResource;

#[async_trait]
impl Resource for IrsaBindingResource {
    type Model = Value;

    fn type_name(&self) -> &'static str {
        "hub_irsa_binding"
    }

    fn schema(&self) -> Schema {
        schema::schema()
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        schema::validate(config, diags);
        validate::check_attributes(config, diags);
        validate::check_admin_policies(config, diags);
    }

    /// IAM only: the cluster is used for the optional verification and annotation, never required.
    fn needs_cluster(&self) -> bool {
        false
    }

    async fn modify_plan(&self, ctx: &ProviderContext, change: &mut PlanChange<'_>) {
        reconcile::plan(ctx, change).await;
    }

    async fn create(&self, ctx: &ProviderContext, planned: &Value, _config: &Value) -> ApplyOutcome {
        reconcile::create(ctx, planned).await
    }

    async fn read(&self, ctx: &ProviderContext, state: &Value) -> Result<Option<Value>, Diagnostics> {
        reconcile::read(ctx, state).await
    }

    async fn update(&self, ctx: &ProviderContext, prior: &Value, planned: &Value, _config: &Value) -> ApplyOutcome {
        reconcile::update(ctx, prior, planned).await
    }

    async fn delete(&self, ctx: &ProviderContext, prior: &Value) -> Diagnostics {
        reconcile::delete(ctx, prior).await
    }

    fn import(&self, id: &str) -> Result<Value, Diagnostics> {
        schema::import_state(id)
    }
}
