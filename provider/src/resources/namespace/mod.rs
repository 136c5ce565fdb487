//! `hub_namespace`: a namespace with Pod Security Standards, quota, default limits and default deny.

mod reconcile;
mod render;
mod schema;
mod validate;

use async_trait::async_trait;

use crate::diag::Diagnostics;
use crate::framework::{ApplyOutcome, ProviderContext, Resource};
use crate::schema::Schema;
use crate::value::Value;

/// The `hub_namespace` resource type.
pub struct NamespaceResource;

#[async_trait]
impl Resource for NamespaceResource {
    fn type_name(&self) -> &'static str {
        "hub_namespace"
    }

    fn schema(&self) -> Schema {
        schema::schema()
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        validate::validate(config, diags);
    }

    async fn create(&self, ctx: &ProviderContext, planned: &Value, _config: &Value) -> ApplyOutcome {
        reconcile::create(ctx, planned).await
    }

    async fn read(&self, ctx: &ProviderContext, state: &Value) -> Result<Option<Value>, Diagnostics> {
        reconcile::read(ctx, state).await
    }

    async fn update(&self, ctx: &ProviderContext, _prior: &Value, planned: &Value, _config: &Value) -> ApplyOutcome {
        reconcile::update(ctx, planned).await
    }

    async fn delete(&self, ctx: &ProviderContext, prior: &Value) -> Diagnostics {
        reconcile::delete(ctx, prior).await
    }

    fn import(&self, id: &str) -> Result<Value, Diagnostics> {
        schema::import_state(id)
    }
}
