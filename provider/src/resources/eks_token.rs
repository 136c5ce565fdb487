//! `ephemeral "hub_eks_token"`: the EKS bearer token hub mints for itself (presigned STS
//! GetCallerIdentity, [`crate::aws::eks_token`]), with the cluster's endpoint and CA, for other providers'
//! blocks (`kubernetes`, `helm`, a second `hub`) in the same configuration: no AWS CLI, no exec plugin, and
//! the token is never in a plan or in state. Credentials, profile and assumed role are the provider
//! block's.

use std::time::SystemTime;

use async_trait::async_trait;
use aws_credential_types::provider::ProvideCredentials as _;
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};

use crate::aws::cluster_access::{ClusterAccess, describe};
use crate::aws::eks_token;
use crate::diag::Diagnostics;
use crate::framework::{DataSource, ProviderContext};
use crate::schema::{Attribute, Block, Schema, validators};
use crate::value::Tf;

/// How long EKS accepts a token after it is signed.
const TOKEN_LIFETIME: time::Duration = time::Duration::minutes(15);

/// The `hub_eks_token` ephemeral resource.
pub(super) struct EksTokenEphemeral;

/// One `hub_eks_token`: a cluster name in, a token and how to reach the cluster out.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct EksTokenModel {
    cluster_name: Tf<String>,
    region: Tf<String>,
    token: Tf<String>,
    endpoint: Tf<String>,
    cluster_ca_certificate: Tf<String>,
    expires_at: Tf<String>,
}

#[async_trait]
impl DataSource for EksTokenEphemeral {
    type Model = EksTokenModel;

    fn type_name(&self) -> &'static str {
        "hub_eks_token"
    }

    fn schema(&self) -> Schema {
        Schema::new(Block::new(
            "A bearer token for an EKS cluster, minted in-process the way `aws eks get-token` does, with the \
             cluster's endpoint and CA: configure the `kubernetes` or `helm` provider from it without the AWS CLI. \
             An ephemeral resource (OpenTofu 1.11, Terraform 1.10): the token is never written to a plan or to \
             state. It is signed with the hub provider block's AWS credentials, profile and assumed role, in its \
             region. EKS accepts it for 15 minutes (`expires_at`); Terraform opens a new one for each plan and \
             each apply, so only a single apply that runs longer than that outlives it.",
            vec![
                Attribute::string("cluster_name")
                    .required()
                    .validate(validators::eks_cluster_name())
                    .description("EKS cluster name."),
                Attribute::string("region")
                    .computed()
                    .description("The region the token is signed for (the provider block's)."),
                Attribute::string("token")
                    .computed()
                    .sensitive()
                    .description("The bearer token (`k8s-aws-v1.…`), for the `token` argument of a provider block."),
                Attribute::string("endpoint")
                    .computed()
                    .description("The cluster's API server URL, for `host`."),
                Attribute::string("cluster_ca_certificate").computed().description(
                    "The cluster's CA certificate, PEM (already base64-decoded), for `cluster_ca_certificate`.",
                ),
                Attribute::string("expires_at")
                    .computed()
                    .description("When EKS stops accepting the token (RFC 3339, UTC): 15 minutes after signing."),
            ],
        ))
    }

    async fn read(&self, ctx: &ProviderContext, config: &EksTokenModel) -> Result<EksTokenModel, Diagnostics> {
        let name = config.cluster_name.as_deref().unwrap_or_default().to_owned();
        let aws = ctx.aws().await?;
        let region = aws.region().ok_or_else(|| {
            Diagnostics::from_error(
                "No AWS Region",
                "hub_eks_token signs for the hub provider block's region; set `region` there.",
            )
        })?;
        let access = describe(&aws.eks, &name)
            .await
            .map_err(|e| crate::aws::describe_cluster_error("cluster_name", &name, Some(region.clone()), &e))?
            .map(|c| ClusterAccess::of(&c))
            .unwrap_or_default();
        let (endpoint, ca) = access.usable().map_err(|what| {
            Diagnostics::from_error(
                "EKS Cluster Incomplete",
                format!("DescribeCluster returned {what} for {name:?}; is the cluster still creating?"),
            )
        })?;
        let (endpoint, ca) = (endpoint.to_owned(), ca.pem);
        let credentials = match aws.sdk.credentials_provider() {
            Some(p) => p.provide_credentials().await.map_err(|e| e.to_string()),
            None => Err("the AWS credential chain is empty".to_owned()),
        }
        .map_err(|why| Diagnostics::from_error("No AWS Credentials", format!("Minting the EKS token: {why}.")))?;
        let signed = SystemTime::now();
        let token = eks_token::mint(&name, &region, &credentials, signed)
            .map_err(|e| Diagnostics::from_error("EKS Token Not Minted", e.to_string()))?;
        Ok(EksTokenModel {
            cluster_name: Tf::Known(name),
            region: Tf::Known(region),
            token: Tf::Known(token.expose_secret().to_owned()),
            endpoint: Tf::Known(endpoint),
            cluster_ca_certificate: Tf::Known(ca),
            expires_at: Tf::Known(rfc3339(time::OffsetDateTime::from(signed) + TOKEN_LIFETIME)),
        })
    }
}

fn rfc3339(t: time::OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiry_is_rfc3339_utc() {
        let t = time::OffsetDateTime::from_unix_timestamp(1_700_000_000).unwrap() + TOKEN_LIFETIME;
        assert_eq!(rfc3339(t), "2023-11-14T22:28:20Z");
    }
}
