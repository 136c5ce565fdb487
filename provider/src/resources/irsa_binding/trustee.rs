//! Who the role trusts, by mechanism: the cluster's IAM OIDC provider (IRSA) or the Pod Identity agent for
//! a set of clusters. Everything the role's documents and ARN derive from (partition, account, region) is
//! read from it, so the rest of reconcile does not care which mechanism is in use.

use std::collections::BTreeMap;

use crate::diag::Diagnostics;
use crate::k8s::labels::ROLE_ARN_ANNOTATION;
use crate::value::Tf;

use super::model::IrsaBindingModel;
use super::policy::{self, ArnScope, ClusterArn, OidcProvider};

/// The principal the role trusts.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Trustee {
    /// IRSA: the cluster's IAM OIDC provider.
    Oidc(OidcProvider),
    /// EKS Pod Identity: the agent acting for these clusters (sorted by name, never empty).
    Clusters(Vec<ClusterArn>),
}

impl Trustee {
    fn partition(&self) -> &str {
        match self {
            Trustee::Oidc(o) => &o.partition,
            Trustee::Clusters(c) => c.first().map_or("aws", |c| c.partition.as_str()),
        }
    }
    fn account(&self) -> &str {
        match self {
            Trustee::Oidc(o) => &o.account,
            Trustee::Clusters(c) => c.first().map_or("", |c| c.account.as_str()),
        }
    }
    fn region(&self) -> Option<&str> {
        match self {
            Trustee::Oidc(o) => o.region(),
            Trustee::Clusters(c) => c.first().map(|c| c.region.as_str()),
        }
    }
    /// The `oidc_provider_arn` to record: the provider's ARN with IRSA, null with Pod Identity.
    pub(super) fn provider_arn(&self) -> Tf<String> {
        match self {
            Trustee::Oidc(o) => Tf::Known(o.arn.clone()),
            Trustee::Clusters(_) => Tf::Null,
        }
    }
    /// The ARN the role `name` under `path` has.
    pub(super) fn role_arn(&self, path: &str, name: &str) -> String {
        format!("arn:{}:iam::{}:role{path}{name}", self.partition(), self.account())
    }
    /// Trust and permission documents of `b` (canonical JSON); `fallback_region` is the provider's, for an
    /// issuer that names none.
    pub(super) fn documents(
        &self,
        b: &IrsaBindingModel,
        fallback_region: Option<String>,
    ) -> Result<(String, Option<String>), Diagnostics> {
        let (namespace, service_account) = b.subject()?;
        let trust = match self {
            Trustee::Oidc(o) => policy::trust_policy(o, namespace, service_account, b.wildcard()),
            Trustee::Clusters(c) => policy::pod_identity_trust_policy(c, namespace, service_account, b.session_tags()),
        }
        .to_canonical();
        let grants = b.grants();
        let needs_region = grants.secrets.is_some() || grants.ssm.is_some();
        let region = match self.region().map(str::to_owned).or(fallback_region) {
            Some(r) => r,
            None if needs_region => {
                return Err(Diagnostics::from_error(
                    "Region Unknown",
                    "The issuer does not name a region and the provider has none; set `region` in the provider block.",
                ));
            }
            None => String::new(),
        };
        let scope = ArnScope {
            partition: self.partition().to_owned(),
            region,
            account: self.account().to_owned(),
        };
        let permissions = policy::with_custom(
            policy::permission_policy(&grants, &scope),
            b.custom_policy_json.as_deref(),
        )
        .map_err(|e| Diagnostics::from_error("Invalid Policy Document", format!("custom_policy_json {e}.")))?;
        Ok((trust, policy::with_target(permissions, b.target_role_arn.as_deref())))
    }
}

/// The annotation the service account needs for `b`: the role ARN with IRSA, none with Pod Identity.
pub(super) fn annotation(b: &IrsaBindingModel, arn: Option<&str>) -> Tf<BTreeMap<String, String>> {
    match arn {
        _ if b.pod_identity() => Tf::Known(BTreeMap::new()),
        Some(a) => Tf::Known(BTreeMap::from([(ROLE_ARN_ANNOTATION.to_owned(), a.to_owned())])),
        None => Tf::Unknown,
    }
}
