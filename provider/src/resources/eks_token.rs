//! `ephemeral "hub_eks_token"`: the EKS bearer token hub mints for itself (presigned STS
//! GetCallerIdentity, [`crate::aws::eks_token`]), with the cluster's endpoint and CA, for other providers'
//! blocks (`kubernetes`, `helm`, a second `hub`) in the same configuration: no AWS CLI, and the token is
//! never in a plan or in state. Credentials, profile and assumed role are the provider block's.
//!
//! Two ways to hand it on. `token` is the token minted at open: fine for runs shorter than its 15 minutes,
//! but it cannot be replaced mid-run, because RenewEphemeralResource returns no new result (only a new
//! `renew_at` and private data), so a provider configured from it fails once EKS stops accepting it.
//! `exec` runs this same binary as a client-go exec credential plugin ([`crate::aws::exec_credential`]),
//! which client-go re-runs whenever its credential passes `renew_at`: the form for long applies.

use async_trait::async_trait;
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};

use crate::aws::cluster_access::{ClusterAccess, describe};
use crate::aws::exec_credential::{self, ExecRequest, rfc3339};
use crate::diag::Diagnostics;
use crate::framework::{DataSource, ProviderContext};
use crate::schema::{Attribute, Block, Nesting, Schema, Validator, validators};
use crate::value::Tf;

/// The `hub_eks_token` ephemeral resource.
pub(super) struct EksTokenEphemeral;

/// One `hub_eks_token`: a cluster name in, a token and how to reach the cluster out.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct EksTokenModel {
    cluster_name: Tf<String>,
    renew_after: Tf<String>,
    region: Tf<String>,
    token: Tf<String>,
    endpoint: Tf<String>,
    cluster_ca_certificate: Tf<String>,
    expires_at: Tf<String>,
    renew_at: Tf<String>,
    exec: Tf<ExecModel>,
}

/// `exec`: the arguments of a consumer provider's `exec` block.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExecModel {
    api_version: Tf<String>,
    command: Tf<String>,
    args: Tf<Vec<Tf<String>>>,
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
             region.\n\nEKS accepts a token for 15 minutes (`expires_at`). Terraform opens this resource once per \
             plan and once per apply, and cannot hand a provider a new token mid-run: renewal through the plugin \
             protocol only extends a lease, it returns no new value. So for applies that may run longer, \
             configure the consumer with `exec` instead of `token`: it runs this provider's binary \
             (`terraform-provider-hub eks-token`) as a client-go credential plugin, which the consumer runs \
             again whenever its token passes `renew_at`. The plugin reads AWS credentials from the environment \
             the consumer inherits, as hub does; only non-secret settings are in its arguments.",
            vec![
                Attribute::string("cluster_name")
                    .required()
                    .validate(validators::eks_cluster_name())
                    .description("EKS cluster name."),
                Attribute::string("renew_after")
                    .optional()
                    .validate(renew_after_validator())
                    .description(
                        "How long after signing a token counts as current (`renew_at`), e.g. `\"5m\"`: between \
                         `10s` and `14m`, default `10m` (as hub's own token cache). The `exec` plugin hands \
                         client-go a token with this expiry, so the consumer renews well before EKS rejects it.",
                    ),
                Attribute::string("region")
                    .computed()
                    .description("The region the token is signed for (the provider block's)."),
                Attribute::string("token").computed().sensitive().description(
                    "The bearer token (`k8s-aws-v1.…`), for the `token` argument of a provider block. It is the \
                     only token such a provider gets during the run and EKS rejects it after `expires_at`: for \
                     applies that may run longer, use `exec`.",
                ),
                Attribute::string("endpoint")
                    .computed()
                    .description("The cluster's API server URL, for `host`."),
                Attribute::string("cluster_ca_certificate").computed().description(
                    "The cluster's CA certificate, PEM (already base64-decoded), for `cluster_ca_certificate`.",
                ),
                Attribute::string("expires_at")
                    .computed()
                    .description("When EKS stops accepting `token` (RFC 3339, UTC): 15 minutes after signing."),
                Attribute::string("renew_at").computed().description(
                    "When `token` should be replaced (RFC 3339, UTC): `renew_after` after signing, before \
                     `expires_at`. A provider configured with `exec` runs the plugin again on its first request \
                     after then and gets a new token; one configured with `token` keeps this one.",
                ),
                Attribute::nested(
                    "exec",
                    Nesting::Single,
                    vec![
                        Attribute::string("api_version")
                            .computed()
                            .description("`client.authentication.k8s.io/v1beta1`, for `exec.api_version`."),
                        Attribute::string("command")
                            .computed()
                            .description("Absolute path of the running hub provider binary, for `exec.command`."),
                        Attribute::string_list("args").computed().description(
                            "`eks-token` and the cluster name, region, and the provider block's profile, role \
                             to assume and STS endpoint overrides, for `exec.args`.",
                        ),
                    ],
                )
                .computed()
                .description(
                    "A client-go exec credential plugin that mints this token again whenever it is due: the \
                     recommended way to configure the `kubernetes` and `helm` providers for long applies.",
                ),
            ],
        ))
    }

    async fn read(&self, ctx: &ProviderContext, config: &EksTokenModel) -> Result<EksTokenModel, Diagnostics> {
        let name = config.cluster_name.as_deref().unwrap_or_default().to_owned();
        let renew_after = exec_credential::renew_after(config.renew_after.as_deref())
            .map_err(|p| Diagnostics::from_error("Invalid Renewal Interval", format!("renew_after {p}.")))?;
        let aws = ctx.aws().await?;
        let minted = aws.mint_eks_token(&name).await?;
        let region = minted.region.clone();
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
        let mut settings = ctx.aws.settings().cloned().unwrap_or_default();
        settings.region = Some(region.clone());
        let exec = ExecRequest {
            cluster_name: name.clone(),
            settings,
            renew_after: config.renew_after.get().cloned(),
        };
        Ok(EksTokenModel {
            cluster_name: Tf::Known(name),
            renew_after: config.renew_after.clone(),
            region: Tf::Known(region),
            token: Tf::Known(minted.token.expose_secret().to_owned()),
            endpoint: Tf::Known(endpoint),
            cluster_ca_certificate: Tf::Known(ca),
            expires_at: Tf::Known(rfc3339(minted.expires_at())),
            renew_at: Tf::Known(rfc3339(minted.renew_at(renew_after))),
            exec: Tf::Known(exec_model(&exec)?),
        })
    }
}

/// `exec` for `request`: this very binary, so the plugin is the provider version that minted `token`.
fn exec_model(request: &ExecRequest) -> Result<ExecModel, Diagnostics> {
    let command = std::env::current_exe().map_err(|e| {
        Diagnostics::from_error(
            "Provider Binary Not Found",
            format!("`exec.command` is the hub provider's own path, which the system does not tell: {e}."),
        )
    })?;
    Ok(ExecModel {
        api_version: Tf::Known(exec_credential::API_VERSION.to_owned()),
        command: Tf::Known(command.display().to_string()),
        args: Tf::Known(request.args().into_iter().map(Tf::Known).collect()),
    })
}

fn renew_after_validator() -> Validator {
    Validator::new("a duration between 10s and 14m", |v, path, diags| {
        if let Some(text) = v.as_str()
            && let Err(p) = exec_credential::renew_after(Some(text))
        {
            diags.error_at(path, "Invalid Renewal Interval", format!("{path} = {p}."));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::AwsSettings;
    use crate::value::AttributePath;

    #[test]
    fn exec_runs_this_binary_with_the_token_settings() {
        let request = ExecRequest {
            cluster_name: "prod".into(),
            settings: AwsSettings {
                region: Some("eu-west-1".into()),
                ..AwsSettings::default()
            },
            renew_after: None,
        };
        let exec = exec_model(&request).unwrap();
        let command = exec.command.get().cloned().unwrap_or_default();
        assert!(std::path::Path::new(&command).is_absolute(), "{command}");
        assert_eq!(exec.api_version.as_deref(), Some(exec_credential::API_VERSION));
        let args: Vec<String> = exec
            .args
            .get()
            .unwrap()
            .iter()
            .filter_map(|a| a.get().cloned())
            .collect();
        assert_eq!(args, ["eks-token", "--cluster-name", "prod", "--region", "eu-west-1"]);
    }

    #[test]
    fn renew_after_is_refused_at_validate_with_the_attribute_named() {
        let mut diags = Diagnostics::new();
        renew_after_validator().check(&"20m".into(), &AttributePath::attr("renew_after"), &mut diags);
        let d = diags.iter().next().expect("an error");
        assert!(d.detail.starts_with("renew_after = \"20m\" is outside"), "{}", d.detail);
    }
}
