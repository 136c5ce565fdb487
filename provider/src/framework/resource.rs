//! The `Resource` trait: what one managed resource type implements, on its typed [`Model`]. The framework
//! decodes every request value into the model once and does everything generic around it (validation by
//! schema, defaults, unknown marking, replacement, invariants).

use async_trait::async_trait;

use crate::diag::Diagnostics;
use crate::schema::{IdentitySchema, Schema};
use crate::value::AttributePath;

use super::{Model, MoveSource, ProviderContext};

/// A planned change, after the framework's generic planning; a resource may refine it.
#[derive(Debug)]
pub struct PlanChange<'a, M = crate::value::Value> {
    /// Prior state; `None` on create.
    pub prior: Option<&'a M>,
    /// The configuration (may contain unknowns).
    pub config: &'a M,
    /// Whether every value in the configuration is known.
    pub config_known: bool,
    /// The plan so far; the resource may adjust computed attributes.
    pub planned: M,
    /// Attributes whose change forces replacement.
    pub requires_replace: Vec<AttributePath>,
    /// Problems found while planning.
    pub diags: Diagnostics,
}

/// The result of create or update: the new state (or a partial one) and any problems.
///
/// A non-null `state` with errors on create is saved as tainted, so nothing created is ever forgotten.
#[derive(Debug)]
#[must_use]
pub struct ApplyOutcome<M = crate::value::Value> {
    /// The object as it now exists; `None` when nothing was created.
    pub state: Option<M>,
    /// Problems found.
    pub diags: Diagnostics,
}

impl<M> ApplyOutcome<M> {
    /// Success with this state.
    pub fn ok(state: M) -> Self {
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
    pub fn partial(state: M, diags: Diagnostics) -> Self {
        ApplyOutcome {
            state: Some(state),
            diags,
        }
    }
}

/// One managed resource type.
#[async_trait]
pub trait Resource: Send + Sync + 'static {
    /// Configuration, plan and state, as one typed model.
    type Model: Model;

    /// The resource identity (Terraform 1.12+) as a typed model: the attributes that name the remote object
    /// for good, field for field as in [`Resource::identity_schema`].
    type Identity: Model;

    /// The full type name, e.g. `hub_namespace`.
    fn type_name(&self) -> &'static str;

    /// The schema; called once when the provider starts.
    fn schema(&self) -> Schema;

    /// The identity schema, matching [`Resource::Identity`].
    fn identity_schema(&self) -> IdentitySchema;

    /// The identity of the object `state` describes; `None` while an identifying attribute is unknown.
    fn identity(&self, state: &Self::Model) -> Option<Self::Identity>;

    /// The import id naming the same object as `identity`: import by identity is import by that id, so
    /// both check their input the same way.
    fn import_id(&self, identity: &Self::Identity) -> String;

    /// Checks that need several attributes together (single-attribute checks belong in the schema).
    /// Values may be unknown: skip checks on them.
    fn validate(&self, _config: &Self::Model, _diags: &mut Diagnostics) {}

    /// Whether the resource lives in the cluster. Then a create or update plans only when the provider block
    /// names a cluster that answers (or is still unknown); resources that need only AWS say `false`.
    fn needs_cluster(&self) -> bool {
        true
    }

    /// Refines the generic plan (e.g. marks computed values that a change affects as unknown).
    async fn modify_plan(&self, _ctx: &ProviderContext, _change: &mut PlanChange<'_, Self::Model>) {}
    /// What a destroy of `prior` will do that the plan should say (warnings only: a destroy plan carries no
    /// state to refine).
    fn plan_destroy(&self, _prior: &Self::Model, _diags: &mut Diagnostics) {}

    /// Creates the remote object(s) from the planned state.
    async fn create(
        &self,
        ctx: &ProviderContext,
        planned: &Self::Model,
        config: &Self::Model,
    ) -> ApplyOutcome<Self::Model>;

    /// Reads the remote object(s); `Ok(None)` means they are gone.
    async fn read(&self, ctx: &ProviderContext, state: &Self::Model) -> Result<Option<Self::Model>, Diagnostics>;

    /// Updates the remote object(s) in place.
    async fn update(
        &self,
        ctx: &ProviderContext,
        prior: &Self::Model,
        planned: &Self::Model,
        config: &Self::Model,
    ) -> ApplyOutcome<Self::Model>;

    /// Deletes the remote object(s). Already gone is success.
    async fn delete(&self, ctx: &ProviderContext, prior: &Self::Model) -> Diagnostics;

    /// The state of a resource of another type (`moved { from = other_type.x  to = this_type.x }`), from
    /// that resource's stored state alone: the provider is not configured yet, and refresh follows. `None`
    /// refuses the move, with the reason in `diags`; warnings may accompany a state.
    fn move_state(&self, source: &MoveSource, diags: &mut Diagnostics) -> Option<Self::Model> {
        diags.error(
            "Move Not Supported",
            format!(
                "{} accepts no `moved` block from another resource type ({} of {}).",
                self.type_name(),
                source.type_name,
                source.provider_address
            ),
        );
        None
    }

    /// Turns an import id into a state holding at least the identifying attributes (read follows).
    fn import(&self, id: &str) -> Result<Self::Model, Diagnostics> {
        let _ = id;
        Err(Diagnostics::from_error(
            "Import Not Supported",
            format!("{} cannot be imported.", self.type_name()),
        ))
    }
}
