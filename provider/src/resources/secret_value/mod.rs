//! `ephemeral "hub_secret_value"`: one secret value, read where it lives (a key of a Kubernetes Secret, a
//! Secrets Manager secret or one JSON key inside it, an SSM parameter) for write-only arguments such as
//! `hub_app.secret_env_wo`, so it reaches the app without touching a plan or state. Kubernetes is reached
//! through the provider block's cluster connection, AWS with its credentials, profile and assumed role.

mod model;
mod read;
mod schema;
mod validate;

use async_trait::async_trait;

use crate::diag::Diagnostics;
use crate::framework::{DataSource, ProviderContext};
use crate::schema::Schema;

use model::SecretValueModel;

/// The `hub_secret_value` ephemeral resource.
pub(super) struct SecretValueEphemeral;

#[async_trait]
impl DataSource for SecretValueEphemeral {
    type Model = SecretValueModel;

    fn type_name(&self) -> &'static str {
        "hub_secret_value"
    }

    fn schema(&self) -> Schema {
        schema::schema()
    }

    fn validate(&self, config: &SecretValueModel, diags: &mut Diagnostics) {
        validate::one_source(config, diags);
    }

    async fn read(&self, ctx: &ProviderContext, config: &SecretValueModel) -> Result<SecretValueModel, Diagnostics> {
        let value = read::value(ctx, config).await?;
        Ok(SecretValueModel {
            value: crate::value::Tf::Known(value),
            ..config.clone()
        })
    }
}
