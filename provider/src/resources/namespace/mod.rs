//! `hub_namespace`: a namespace with Pod Security Standards, quota, default limits and default deny.

mod identity;
mod model;
mod reconcile;
mod render;
mod schema;
mod validate;

use async_trait::async_trait;

use crate::diag::Diagnostics;
use crate::framework::{ApplyOutcome, ProviderContext, Resource};
use crate::schema::{IdentitySchema, Schema, validators};
use crate::value::Tf;

use identity::NamespaceIdentity;
use model::{DEFAULT_DELETE_TIMEOUT, NamespaceModel, PodSecurity};

/// The `hub_namespace` resource type.
pub struct NamespaceResource;

#[async_trait]
impl Resource for NamespaceResource {
    type Model = NamespaceModel;
    type Identity = NamespaceIdentity;

    fn type_name(&self) -> &'static str {
        "hub_namespace"
    }

    fn schema(&self) -> Schema {
        schema::schema()
    }

    fn identity_schema(&self) -> IdentitySchema {
        identity::schema()
    }

    fn identity(&self, state: &NamespaceModel) -> Option<NamespaceIdentity> {
        Some(NamespaceIdentity {
            name: state.name.get()?.clone(),
        })
    }

    fn import_id(&self, identity: &NamespaceIdentity) -> String {
        identity.name.clone()
    }

    fn validate(&self, config: &NamespaceModel, diags: &mut Diagnostics) {
        validate::validate(config, diags);
    }

    async fn create(
        &self,
        ctx: &ProviderContext,
        planned: &NamespaceModel,
        _: &NamespaceModel,
    ) -> ApplyOutcome<NamespaceModel> {
        reconcile::create(ctx, planned).await
    }

    async fn read(&self, ctx: &ProviderContext, state: &NamespaceModel) -> Result<Option<NamespaceModel>, Diagnostics> {
        reconcile::read(ctx, state).await
    }

    async fn update(
        &self,
        ctx: &ProviderContext,
        _: &NamespaceModel,
        planned: &NamespaceModel,
        _: &NamespaceModel,
    ) -> ApplyOutcome<NamespaceModel> {
        reconcile::update(ctx, planned).await
    }

    async fn delete(&self, ctx: &ProviderContext, prior: &NamespaceModel) -> Diagnostics {
        reconcile::delete(ctx, prior).await
    }

    /// The import id is the namespace name; an empty `uid` tells read to adopt what exists.
    fn import(&self, id: &str) -> Result<NamespaceModel, Diagnostics> {
        if let Some(problem) = validators::dns1123_label_problem(id, 63) {
            return Err(Diagnostics::from_error(
                "Invalid Import ID",
                format!("The import ID is the namespace name; {id:?} {problem}."),
            ));
        }
        Ok(NamespaceModel {
            name: Tf::Known(id.to_owned()),
            id: Tf::Known(id.to_owned()),
            uid: Tf::Known(String::new()),
            delete_timeout: Tf::Known(DEFAULT_DELETE_TIMEOUT.to_owned()),
            default_deny: Tf::Known(false),
            pod_security: Tf::Known(PodSecurity::restricted()),
            ..NamespaceModel::default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::model::from_value;

    #[test]
    fn import_rejects_invalid_names_and_its_skeleton_conforms() {
        assert!(NamespaceResource.import("Bad_Name").is_err());
        let skeleton = NamespaceResource.import("team-a").unwrap();
        assert_eq!(skeleton.name(), "team-a");
        let ty = schema::schema().implied_type();
        assert!(crate::value::model::to_value(&skeleton, &ty).is_ok());
    }

    #[test]
    fn the_pod_security_default_is_the_restricted_model() {
        let default: PodSecurity = from_value(&schema::pod_security_default()).unwrap();
        assert_eq!(default, PodSecurity::restricted());
    }
}
