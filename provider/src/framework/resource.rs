//! The `Resource` trait: what one managed resource type implements. The framework calls it with decoded
//! values; everything generic (validation by schema, defaults, unknown marking, replacement, private state,
//! invariants) happens around it.

use async_trait::async_trait;

use crate::diag::Diagnostics;
use crate::schema::Schema;
use crate::value::{AttributePath, Value};

use super::ProviderContext;

/// A planned change, after the framework's generic planning; a resource may refine it.
#[derive(Debug)]
pub struct PlanChange<'a> {
    /// Prior state; `None` on create.
    pub prior: Option<&'a Value>,
    /// The configuration (may contain unknowns).
    pub config: &'a Value,
    /// The plan so far; the resource may adjust computed attributes.
    pub planned: Value,
    /// Attributes whose change forces replacement.
    pub requires_replace: Vec<AttributePath>,
    /// Problems found while planning.
    pub diags: Diagnostics,
}

/// The result of create or update: the new state (or a partial one) and any problems.
///
/// A non-null `state` with errors on create is saved as tainted, so nothing created is ever forgotten.
#[derive(Debug, Default)]
#[must_use]
pub struct ApplyOutcome {
    /// The object as it now exists; `None` when nothing was created.
    pub state: Option<Value>,
    /// Problems found.
    pub diags: Diagnostics,
}

impl ApplyOutcome {
    /// Success with this state.
    pub fn ok(state: Value) -> Self {
        ApplyOutcome {
            state: Some(state),
            diags: Diagnostics::new(),
        }
    }
    /// Failure before anything was written.
    pub fn failed(diags: Diagnostics) -> Self {
        ApplyOutcome { state: None, diags }
    }
    /// Failure after something was written: keep it in state.
    pub fn partial(state: Value, diags: Diagnostics) -> Self {
        ApplyOutcome {
            state: Some(state),
            diags,
        }
    }
}

/// One managed resource type.
#[async_trait]
pub trait Resource: Send + Sync {
    /// The full type name, e.g. `hub_namespace`.
    fn type_name(&self) -> &'static str;

    /// The schema; called once when the provider starts.
    fn schema(&self) -> Schema;

    /// Checks that need several attributes together (single-attribute checks belong in the schema).
    /// Values may be unknown: skip checks on them.
    fn validate(&self, _config: &Value, _diags: &mut Diagnostics) {}

    /// Whether the resource lives in the cluster. Then a create or update plans only when the provider block
    /// names a cluster that answers (or is still unknown); resources that need only AWS say `false`.
    fn needs_cluster(&self) -> bool {
        true
    }

    /// Refines the generic plan (e.g. marks computed values that a change affects as unknown).
    async fn modify_plan(&self, _ctx: &ProviderContext, _change: &mut PlanChange<'_>) {}

    /// Creates the remote object(s) from the planned state.
    async fn create(&self, ctx: &ProviderContext, planned: &Value, config: &Value) -> ApplyOutcome;

    /// Reads the remote object(s); `Ok(None)` means they are gone.
    async fn read(&self, ctx: &ProviderContext, state: &Value) -> Result<Option<Value>, Diagnostics>;

    /// Updates the remote object(s) in place.
    async fn update(&self, ctx: &ProviderContext, prior: &Value, planned: &Value, config: &Value) -> ApplyOutcome;

    /// Deletes the remote object(s). Already gone is success.
    async fn delete(&self, ctx: &ProviderContext, prior: &Value) -> Diagnostics;

    /// Turns an import id into a state holding at least the identifying attributes (read follows).
    fn import(&self, id: &str) -> Result<Value, Diagnostics> {
        let _ = id;
        Err(Diagnostics::from_error(
            "Import Not Supported",
            format!("{} cannot be imported.", self.type_name()),
        ))
    }
}
