//! `hub_cluster` data source: what other resources need to know about an EKS cluster, from its name —
//! connection facts (endpoint, CA, version), IRSA facts (issuer, IAM OIDC provider ARN when one exists),
//! networking (VPC, subnets) and the account. Read with DescribeCluster, ListOpenIDConnectProviders and
//! GetCallerIdentity.

use async_trait::async_trait;

use crate::aws::sdk_error;
use crate::diag::Diagnostics;
use crate::framework::{DataSource, ProviderContext};
use crate::schema::{Attribute, Block, Schema};
use crate::value::Value;

use super::irsa_binding::normalize_issuer;

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
                Attribute::string("arn").computed().description("Cluster ARN."),
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
                    .description("IAM OIDC provider ARN for the issuer; empty when the account has none."),
                Attribute::string("vpc_id")
                    .computed()
                    .description("VPC of the cluster."),
                Attribute::string_list("subnet_ids")
                    .computed()
                    .description("Subnets of the cluster."),
                Attribute::string("account_id")
                    .computed()
                    .description("AWS account of the caller."),
                Attribute::string("id").computed().description("The cluster name."),
            ],
        ))
    }

    async fn read(&self, ctx: &ProviderContext, config: &Value) -> Result<Value, Diagnostics> {
        let name = config
            .attr("name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let aws = ctx.aws().await?;
        let out = aws
            .eks
            .describe_cluster()
            .name(&name)
            .send()
            .await
            .map_err(|e| sdk_error(&format!("Describing EKS cluster {name:?}"), &e))?;
        let Some(c) = out.cluster() else {
            return Err(Diagnostics::from_error(
                "EKS Cluster Not Described",
                format!("DescribeCluster returned no cluster for {name:?}."),
            ));
        };
        let issuer = c
            .identity()
            .and_then(|i| i.oidc())
            .and_then(|o| o.issuer())
            .unwrap_or_default();
        let provider_arn = if issuer.is_empty() {
            String::new()
        } else {
            let providers = aws
                .iam
                .list_open_id_connect_providers()
                .send()
                .await
                .map_err(|e| sdk_error("Listing IAM OIDC providers", &e))?;
            let suffix = format!(":oidc-provider/{}", normalize_issuer(issuer));
            providers
                .open_id_connect_provider_list()
                .iter()
                .filter_map(|p| p.arn())
                .find(|a| a.ends_with(&suffix))
                .unwrap_or_default()
                .to_owned()
        };
        let account = aws
            .sts
            .get_caller_identity()
            .send()
            .await
            .map_err(|e| sdk_error("Calling STS GetCallerIdentity", &e))?
            .account()
            .unwrap_or_default()
            .to_owned();
        let vpc = c.resources_vpc_config();
        let s = |v: Option<&str>| Value::string(v.unwrap_or_default());
        Ok(Value::object([
            ("name", Value::string(&name)),
            ("id", Value::string(&name)),
            ("arn", s(c.arn())),
            ("endpoint", s(c.endpoint())),
            (
                "certificate_authority",
                s(c.certificate_authority().and_then(|a| a.data())),
            ),
            ("version", s(c.version())),
            ("oidc_issuer_url", Value::string(issuer)),
            ("oidc_provider_arn", Value::string(provider_arn)),
            ("vpc_id", s(vpc.and_then(|v| v.vpc_id()))),
            (
                "subnet_ids",
                Value::List(
                    vpc.map(|v| v.subnet_ids().iter().map(Value::string).collect())
                        .unwrap_or_default(),
                ),
            ),
            ("account_id", Value::string(account)),
        ]))
    }
}
