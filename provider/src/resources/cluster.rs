//! `hub_cluster` data source: an EKS cluster's connection and IRSA facts. The initial schema; the AWS calls
//! come with the hub_irsa_binding issue.

use async_trait::async_trait;

use crate::diag::Diagnostics;
use crate::framework::{DataSource, ProviderContext};
use crate::schema::{Attribute, Block, Schema};
use crate::value::Value;

/// The `hub_cluster` data source.
pub(super) struct ClusterDataSource;

#[async_trait]
impl DataSource for ClusterDataSource {
    fn type_name(&self) -> &'static str {
        "hub_cluster"
    }

    fn schema(&self) -> Schema {
        Schema::new(Block::new(
            "Facts about an EKS cluster, from its name.",
            vec![
                Attribute::string("name").required().description("EKS cluster name."),
                Attribute::string("endpoint").computed().description("API server URL."),
                Attribute::string("certificate_authority")
                    .computed()
                    .description("Base64 PEM of the cluster CA."),
                Attribute::string("version")
                    .computed()
                    .description("Kubernetes version."),
                Attribute::string("oidc_issuer_url")
                    .computed()
                    .description("OIDC issuer URL."),
                Attribute::string("oidc_provider_arn")
                    .computed()
                    .description("IAM OIDC provider ARN, when one exists."),
            ],
        ))
    }

    async fn read(&self, _ctx: &ProviderContext, _config: &Value) -> Result<Value, Diagnostics> {
        Err(Diagnostics::from_error(
            "Data Source Not Available Yet",
            "hub_cluster needs the AWS connection settings, which this build does not have yet. Nothing was read.",
        ))
    }
}
