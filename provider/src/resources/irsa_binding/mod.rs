//! `hub_irsa_binding`: an IAM role for one Kubernetes service account (IRSA), wired so it cannot be wired
//! wrong: the trust policy is generated from the cluster's OIDC provider ([`policy`], pure and golden-
//! tested), names and ARNs are validated before any write ([`validate`]), and IAM I/O with drift
//! detection lives in [`reconcile`].

mod adopt;
mod agent;
mod associations;
mod cluster_support;
mod functions;
mod iam;
mod identity;
mod model;
mod ownership;
mod pod_identity;
mod policy;
mod reconcile;
mod schema;
mod trustee;
mod validate;
mod verify;
mod verify_pod;

use async_trait::async_trait;

use crate::diag::Diagnostics;
use crate::framework::{ApplyOutcome, PlanChange, ProviderContext, Resource};
use crate::schema::{IdentitySchema, Schema};
use crate::value::Tf;

use identity::IrsaBindingIdentity;
use model::{DEFAULT_MAX_SESSION, IrsaBindingModel};

pub(super) use functions::{IrsaTrustPolicy, PodIdentityTrustPolicy};

/// The `hub_irsa_binding` resource type.
pub(super) struct IrsaBindingResource;

#[async_trait]
impl Resource for IrsaBindingResource {
    type Model = IrsaBindingModel;
    type Identity = IrsaBindingIdentity;

    fn identity_schema(&self) -> IdentitySchema {
        identity::schema()
    }

    fn identity(&self, state: &IrsaBindingModel) -> Option<IrsaBindingIdentity> {
        Some(IrsaBindingIdentity {
            role_name: state.role_name.get()?.clone(),
        })
    }

    fn import_id(&self, identity: &IrsaBindingIdentity) -> String {
        identity.role_name.clone()
    }

    fn type_name(&self) -> &'static str {
        "hub_irsa_binding"
    }

    fn schema(&self) -> Schema {
        schema::schema()
    }

    fn validate(&self, config: &IrsaBindingModel, diags: &mut Diagnostics) {
        validate::validate(config, diags);
    }

    /// IAM only: the cluster is used for the optional verification and annotation, never required.
    fn needs_cluster(&self) -> bool {
        false
    }

    async fn modify_plan(&self, ctx: &ProviderContext, change: &mut PlanChange<'_, IrsaBindingModel>) {
        reconcile::plan(ctx, change).await;
    }

    async fn create(
        &self,
        ctx: &ProviderContext,
        planned: &IrsaBindingModel,
        _: &IrsaBindingModel,
    ) -> ApplyOutcome<IrsaBindingModel> {
        reconcile::create(ctx, planned).await
    }

    async fn read(
        &self,
        ctx: &ProviderContext,
        state: &IrsaBindingModel,
    ) -> Result<Option<IrsaBindingModel>, Diagnostics> {
        reconcile::read(ctx, state).await
    }

    async fn update(
        &self,
        ctx: &ProviderContext,
        prior: &IrsaBindingModel,
        planned: &IrsaBindingModel,
        _: &IrsaBindingModel,
    ) -> ApplyOutcome<IrsaBindingModel> {
        reconcile::update(ctx, prior, planned).await
    }

    async fn delete(&self, ctx: &ProviderContext, prior: &IrsaBindingModel) -> Diagnostics {
        reconcile::delete(ctx, prior).await
    }

    /// The import id is the role name; an empty namespace tells read to restore the subject from the
    /// trust policy.
    fn import(&self, id: &str) -> Result<IrsaBindingModel, Diagnostics> {
        if let Some(p) = validate::role_name_problem(id, 64) {
            return Err(Diagnostics::from_error(
                "Invalid Import ID",
                format!("The import ID is the IAM role name; {id:?} {p}."),
            ));
        }
        Ok(IrsaBindingModel {
            role_name: Tf::Known(id.to_owned()),
            id: Tf::Known(id.to_owned()),
            path: Tf::Known("/".to_owned()),
            max_session_duration: Tf::Known(DEFAULT_MAX_SESSION),
            allow_service_account_wildcard: Tf::Known(false),
            allow_admin_policy: Tf::Known(false),
            annotate_service_account: Tf::Known(false),
            verify: Tf::Known(true),
            mechanism: Tf::Known("irsa".to_owned()),
            disable_session_tags: Tf::Known(false),
            pod_identity_agent_check: Tf::Known("warn".to_owned()),
            namespace: Tf::Known(String::new()),
            service_account: Tf::Known(String::new()),
            ..IrsaBindingModel::default()
        })
    }
}
