//! [`AnyResource`] and [`AnyDataSource`]: a [`Resource`] or [`DataSource`] seen through values, so the
//! registry can hold every type in one map. This is the one place a request value becomes a model and a
//! model becomes a value again.

use async_trait::async_trait;

use crate::diag::Diagnostics;
use crate::schema::IdentitySchema;
use crate::value::model::restore_partly_known;
use crate::value::{AttributePath, Type, Value};

use super::{ApplyOutcome, DataSource, Model, MoveSource, PlanChange, ProviderContext, Resource};

/// The resource-specific part of a plan, on values.
pub struct ValuePlan {
    /// The planned state.
    pub planned: Value,
    /// Attributes whose change forces replacement.
    pub requires_replace: Vec<AttributePath>,
    /// Problems found.
    pub diags: Diagnostics,
}

/// A resource type behind values; implemented for every [`Resource`].
#[async_trait]
pub trait AnyResource: Send + Sync {
    /// The full type name.
    fn type_name(&self) -> &'static str;
    /// Whether plans need a reachable cluster.
    fn needs_cluster(&self) -> bool;
    /// Cross-attribute checks.
    fn validate(&self, config: &Value, diags: &mut Diagnostics);
    /// The resource's refinement of the generic plan.
    async fn modify_plan(
        &self,
        ctx: &ProviderContext,
        ty: &Type,
        prior: Option<&Value>,
        config: &Value,
        plan: ValuePlan,
    ) -> Result<ValuePlan, Diagnostics>;
    /// Warnings for the plan of a destroy of `prior`.
    fn plan_destroy(&self, prior: &Value, diags: &mut Diagnostics);
    /// Create, update or delete, by which of `prior` and `planned` are null.
    async fn apply(
        &self,
        ctx: &ProviderContext,
        ty: &Type,
        prior: &Value,
        planned: &Value,
        config: &Value,
    ) -> ApplyOutcome<Value>;
    /// Refresh.
    async fn read(&self, ctx: &ProviderContext, ty: &Type, state: &Value) -> Result<Value, Diagnostics>;
    /// An import id to a skeleton state.
    fn import(&self, ty: &Type, id: &str) -> Result<Value, Diagnostics>;
    /// The state of a resource of another type moved to this one; `None` (with errors) when refused.
    fn move_state(&self, ty: &Type, source: &MoveSource, diags: &mut Diagnostics) -> Option<Value>;
    /// Whether the model holds exactly the schema's attributes (see [`super::drift`]).
    fn check_model(&self, ty: &Type) -> Result<(), String>;
    /// The identity schema.
    fn identity_schema(&self) -> IdentitySchema;
    /// The identity (of type `id_ty`) of the object a state value describes; null while it is not known.
    fn identity(&self, id_ty: &Type, state: &Value) -> Result<Value, Diagnostics>;
    /// The import id an identity value names.
    fn import_id(&self, identity: &Value) -> Result<String, Diagnostics>;
    /// Whether the identity model holds exactly the identity schema's attributes.
    fn check_identity_model(&self, id_ty: &Type) -> Result<(), String>;
}

/// Decodes a request value; a value that does not fit is hub's bug, reported with the attribute path.
pub(super) fn decode<M: Model>(type_name: &str, value: &Value, what: &str) -> Result<M, Diagnostics> {
    M::decode(value).map_err(|e| {
        let mut d = Diagnostics::new();
        d.bug(
            "Value Does Not Fit The Model",
            format!("The {what} of {type_name} does not fit its model at {e}."),
        );
        d
    })
}

/// Runs `check` on the configuration decoded into model `M`. A value the schema refused (a fraction where a
/// count goes) cannot fit the model either; the schema's error already names it.
pub(super) fn validate_with<M: Model>(
    type_name: &str,
    config: &Value,
    diags: &mut Diagnostics,
    check: impl FnOnce(&M, &mut Diagnostics),
) {
    match decode::<M>(type_name, config, "configuration") {
        Ok(model) => check(&model, diags),
        Err(_) if diags.has_errors() => {}
        Err(d) => diags.extend(d),
    }
}

fn encode<M: Model>(type_name: &str, model: &M, ty: &Type, what: &str) -> Result<Value, Diagnostics> {
    model.encode(ty).map_err(|e| {
        let mut d = Diagnostics::new();
        d.bug(
            "Model Does Not Fit The Schema",
            format!("The {what} of {type_name} does not fit its schema at {e}."),
        );
        d
    })
}

/// A typed outcome as values; an encoding failure keeps nothing and reports the bug.
fn encode_outcome<M: Model>(type_name: &str, ty: &Type, outcome: ApplyOutcome<M>) -> ApplyOutcome<Value> {
    let ApplyOutcome { state, mut diags } = outcome;
    let state = state.and_then(|s| match encode(type_name, &s, ty, "new state") {
        Ok(v) => Some(v),
        Err(d) => {
            diags.extend(d);
            None
        }
    });
    ApplyOutcome { state, diags }
}

#[async_trait]
impl<R: Resource> AnyResource for R {
    fn type_name(&self) -> &'static str {
        Resource::type_name(self)
    }

    fn needs_cluster(&self) -> bool {
        Resource::needs_cluster(self)
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        validate_with(self.type_name(), config, diags, |m: &R::Model, d| {
            Resource::validate(self, m, d)
        });
    }

    async fn modify_plan(
        &self,
        ctx: &ProviderContext,
        ty: &Type,
        prior: Option<&Value>,
        config: &Value,
        plan: ValuePlan,
    ) -> Result<ValuePlan, Diagnostics> {
        let name = self.type_name();
        let prior: Option<R::Model> = prior.map(|p| decode(name, p, "prior state")).transpose()?;
        let config_model: R::Model = decode(name, config, "configuration")?;
        let planned: R::Model = decode(name, &plan.planned, "planned state")?;
        let mut change = PlanChange {
            prior: prior.as_ref(),
            config: &config_model,
            config_known: config.is_wholly_known(),
            planned,
            requires_replace: plan.requires_replace,
            diags: plan.diags,
        };
        Resource::modify_plan(self, ctx, &mut change).await;
        Ok(ValuePlan {
            planned: restore_partly_known(encode(name, &change.planned, ty, "planned state")?, &plan.planned),
            requires_replace: change.requires_replace,
            diags: change.diags,
        })
    }

    fn plan_destroy(&self, prior: &Value, diags: &mut Diagnostics) {
        // A prior state that does not decode must not block its own destroy: nothing is said then.
        if let Ok(prior) = R::Model::decode(prior) {
            Resource::plan_destroy(self, &prior, diags);
        }
    }

    async fn apply(
        &self,
        ctx: &ProviderContext,
        ty: &Type,
        prior: &Value,
        planned: &Value,
        config: &Value,
    ) -> ApplyOutcome<Value> {
        let name = self.type_name();
        if planned.is_null() {
            let prior_model = match decode::<R::Model>(name, prior, "prior state") {
                Ok(p) => p,
                Err(d) => return ApplyOutcome::partial(prior.clone(), d),
            };
            let diags = Resource::delete(self, ctx, &prior_model).await;
            // On failure the object may still exist: keep it in state.
            let state = diags.has_errors().then(|| prior.clone());
            return ApplyOutcome { state, diags };
        }
        let decoded = (|| {
            Ok::<_, Diagnostics>((
                decode::<R::Model>(name, planned, "planned state")?,
                decode::<R::Model>(name, config, "configuration")?,
            ))
        })();
        let (planned, config) = match decoded {
            Ok(v) => v,
            Err(d) => return ApplyOutcome::failed(d),
        };
        let outcome = if prior.is_null() {
            Resource::create(self, ctx, &planned, &config).await
        } else {
            let prior_model = match decode::<R::Model>(name, prior, "prior state") {
                Ok(p) => p,
                Err(d) => return ApplyOutcome::partial(prior.clone(), d),
            };
            Resource::update(self, ctx, &prior_model, &planned, &config).await
        };
        encode_outcome(name, ty, outcome)
    }

    async fn read(&self, ctx: &ProviderContext, ty: &Type, state: &Value) -> Result<Value, Diagnostics> {
        let name = self.type_name();
        let prior: R::Model = decode(name, state, "state")?;
        match Resource::read(self, ctx, &prior).await? {
            Some(now) => encode(name, &now, ty, "refreshed state"),
            None => Ok(Value::Null),
        }
    }

    fn import(&self, ty: &Type, id: &str) -> Result<Value, Diagnostics> {
        let skeleton = Resource::import(self, id)?;
        encode(self.type_name(), &skeleton, ty, "imported state")
    }

    fn move_state(&self, ty: &Type, source: &MoveSource, diags: &mut Diagnostics) -> Option<Value> {
        let moved = Resource::move_state(self, source, diags)?;
        encode(self.type_name(), &moved, ty, "moved state")
            .map_err(|d| diags.extend(d))
            .ok()
    }

    fn check_model(&self, ty: &Type) -> Result<(), String> {
        super::drift::check_model::<R::Model>(ty)
    }

    fn identity_schema(&self) -> IdentitySchema {
        Resource::identity_schema(self)
    }

    fn identity(&self, id_ty: &Type, state: &Value) -> Result<Value, Diagnostics> {
        if state.is_null() {
            return Ok(Value::Null);
        }
        let name = self.type_name();
        let model: R::Model = decode(name, state, "state")?;
        match Resource::identity(self, &model) {
            Some(identity) => encode(name, &identity, id_ty, "identity"),
            None => Ok(Value::Null),
        }
    }

    fn import_id(&self, identity: &Value) -> Result<String, Diagnostics> {
        let identity: R::Identity = decode(self.type_name(), identity, "import identity")?;
        Ok(Resource::import_id(self, &identity))
    }

    fn check_identity_model(&self, id_ty: &Type) -> Result<(), String> {
        super::drift::check_model::<R::Identity>(id_ty)
    }
}

/// A data source type behind values; implemented for every [`DataSource`].
#[async_trait]
pub trait AnyDataSource: Send + Sync {
    /// The full type name.
    fn type_name(&self) -> &'static str;
    /// Cross-attribute checks.
    fn validate(&self, config: &Value, diags: &mut Diagnostics);
    /// Reads the data.
    async fn read(&self, ctx: &ProviderContext, ty: &Type, config: &Value) -> Result<Value, Diagnostics>;
    /// Whether the model holds exactly the schema's attributes (see [`super::drift`]).
    fn check_model(&self, ty: &Type) -> Result<(), String>;
}

#[async_trait]
impl<D: DataSource> AnyDataSource for D {
    fn type_name(&self) -> &'static str {
        DataSource::type_name(self)
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        validate_with(self.type_name(), config, diags, |m: &D::Model, d| {
            DataSource::validate(self, m, d)
        });
    }

    async fn read(&self, ctx: &ProviderContext, ty: &Type, config: &Value) -> Result<Value, Diagnostics> {
        let name = self.type_name();
        let config: D::Model = decode(name, config, "configuration")?;
        let result = DataSource::read(self, ctx, &config).await?;
        encode(name, &result, ty, "result")
    }

    fn check_model(&self, ty: &Type) -> Result<(), String> {
        super::drift::check_model::<D::Model>(ty)
    }
}
