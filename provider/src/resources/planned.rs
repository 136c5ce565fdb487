//! Resource types whose schema is registered (so modules can be written and validated against it) but whose
//! behaviour lands with its own issue. They refuse at plan time, before anything is written.

use async_trait::async_trait;

use crate::diag::Diagnostics;
use crate::framework::{ApplyOutcome, PlanChange, ProviderContext, Resource};
use crate::schema::Schema;
use crate::value::Value;

/// A registered type that validates but cannot be planned yet.
pub(super) struct PlannedResource {
    pub type_name: &'static str,
    pub schema: fn() -> Schema,
}

fn not_available(type_name: &str) -> Diagnostics {
    Diagnostics::from_error(
        "Resource Type Not Available Yet",
        format!(
            "{type_name} is part of hub's schema so configurations can be written and validated, but this build \
             cannot create it yet. Nothing was changed. Remove it from the plan or use a newer hub release."
        ),
    )
}

#[async_trait]
impl Resource for PlannedResource {
    fn type_name(&self) -> &'static str {
        self.type_name
    }
    fn schema(&self) -> Schema {
        (self.schema)()
    }
    async fn modify_plan(&self, _ctx: &ProviderContext, change: &mut PlanChange<'_>) {
        change.diags.extend(not_available(self.type_name));
    }
    async fn create(&self, _: &ProviderContext, _: &Value, _: &Value) -> ApplyOutcome {
        ApplyOutcome::failed(not_available(self.type_name))
    }
    async fn read(&self, _: &ProviderContext, state: &Value) -> Result<Option<Value>, Diagnostics> {
        Ok(Some(state.clone()))
    }
    async fn update(&self, _: &ProviderContext, _: &Value, _: &Value, _: &Value) -> ApplyOutcome {
        ApplyOutcome::failed(not_available(self.type_name))
    }
    async fn delete(&self, _: &ProviderContext, _: &Value) -> Diagnostics {
        Diagnostics::new()
    }
}
