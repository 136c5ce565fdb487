//! `hub_cluster` data source: what other resources need to know about an EKS cluster, from its name —
//! connection facts (endpoint, CA, version), IRSA facts (issuer, IAM OIDC provider ARN when one exists),
//! networking (VPC, subnets) and the account. Read with DescribeCluster, ListOpenIDConnectProviders and
//! GetCallerIdentity.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use crate::aws::cluster_access::{ClusterAccess, describe};
use crate::aws::{describe_cluster_error, oidc, sdk_error};
use crate::diag::Diagnostics;
use crate::framework::{DataSource, ProviderContext};
use crate::schema::{Attribute, Block, Schema, validators};
use crate::value::Tf;

/// The `hub_cluster` data source.
pub(super) struct ClusterDataSource;

/// One `hub_cluster`: the name in, the facts out.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ClusterModel {
    name: Tf<String>,
    arn: Tf<String>,
    endpoint: Tf<String>,
    certificate_authority: Tf<String>,
    version: Tf<String>,
    oidc_issuer_url: Tf<String>,
    oidc_provider_arn: Tf<String>,
    vpc_id: Tf<String>,
    subnet_ids: Tf<Vec<String>>,
    account_id: Tf<String>,
    id: Tf<String>,
}

#[async_trait]
impl DataSource for ClusterDataSource {
    type Model = ClusterModel;

    fn type_name(&self) -> &'static str {
        "hub_cluster"
    }

    fn schema(&self) -> Schema {
        Schema::new(Block::new(
            "Facts about an EKS cluster, from its name.",
            vec![
                Attribute::string("name")
                    .required()
                    .validate(validators::eks_cluster_name())
                    .description("EKS cluster name."),
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

    async fn read(&self, ctx: &ProviderContext, config: &ClusterModel) -> Result<ClusterModel, Diagnostics> {
        let name = config.name.as_deref().unwrap_or_default().to_owned();
        let aws = ctx.aws().await?;
        let Some(c) = describe(&aws.eks, &name)
            .await
            .map_err(|e| describe_cluster_error("name", &name, aws.region(), &e))?
        else {
            return Err(Diagnostics::from_error(
                "EKS Cluster Not Described",
                format!("DescribeCluster returned no cluster for {name:?}."),
            ));
        };
        let access = ClusterAccess::of(&c);
        let issuer = c
            .identity()
            .and_then(|i| i.oidc())
            .and_then(|o| o.issuer())
            .unwrap_or_default();
        // Empty when the cluster has no issuer or the account no provider for it, as documented.
        let provider_arn = if issuer.is_empty() {
            String::new()
        } else {
            oidc::provider_arn(&aws.iam, issuer).await?.unwrap_or_default()
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
        let s = |v: Option<&str>| Tf::Known(v.unwrap_or_default().to_owned());
        Ok(ClusterModel {
            id: Tf::Known(name.clone()),
            name: Tf::Known(name),
            arn: s(c.arn()),
            endpoint: Tf::Known(access.endpoint),
            certificate_authority: Tf::Known(access.ca_data),
            version: s(c.version()),
            oidc_issuer_url: s(Some(issuer)),
            oidc_provider_arn: Tf::Known(provider_arn),
            vpc_id: s(vpc.and_then(|v| v.vpc_id())),
            subnet_ids: Tf::Known(vpc.map(|v| v.subnet_ids().to_vec()).unwrap_or_default()),
            account_id: Tf::Known(account),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::validate::validate_block;
    use crate::value::AttributePath;
    use crate::value::Value;

    #[test]
    fn invalid_names_are_refused_before_any_aws_call() {
        let schema = ClusterDataSource.schema();
        for (name, bad) in [("hub-sandbox", false), ("", true), ("my cluster!", true)] {
            let mut diags = Diagnostics::new();
            let config = Value::object([("name", Value::string(name))]);
            validate_block(&schema.block, &config, &AttributePath::root(), true, &mut diags);
            assert_eq!(diags.has_errors(), bad, "{name:?}: {diags:?}");
            if bad {
                assert_eq!(diags.0[0].path, Some(AttributePath::attr("name")));
            }
        }
    }
}
