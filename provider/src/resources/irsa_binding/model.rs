//! The typed model of `hub_irsa_binding`: configuration, plan and state, and the grants and settings read
//! from it.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::diag::Diagnostics;
use crate::value::Tf;

use super::policy::{Access, Grants, S3Grant, SecretsGrant, SsmGrant};

/// `mechanism` for EKS Pod Identity.
pub(crate) const POD_IDENTITY: &str = "pod_identity";

/// Default `max_session_duration` (IAM's).
pub(super) const DEFAULT_MAX_SESSION: i64 = 3600;

/// One `hub_irsa_binding`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct IrsaBindingModel {
    pub cluster_name: Tf<String>,
    pub oidc_provider_arn: Tf<String>,
    pub oidc_issuer: Tf<String>,
    pub namespace: Tf<String>,
    pub service_account: Tf<String>,
    pub allow_service_account_wildcard: Tf<bool>,
    pub role_name: Tf<String>,
    pub role_name_prefix: Tf<String>,
    pub path: Tf<String>,
    pub description: Tf<String>,
    pub permissions_boundary: Tf<String>,
    pub max_session_duration: Tf<i64>,
    pub tags: Tf<BTreeMap<String, String>>,
    pub s3_buckets: Tf<Vec<S3Bucket>>,
    pub secrets_manager: Tf<SecretsManager>,
    pub ssm_parameters: Tf<SsmParameters>,
    pub custom_policy_json: Tf<String>,
    /// Element by element: validation checks the known ARNs while others are still unknown.
    pub managed_policy_arns: Tf<Vec<Tf<String>>>,
    pub allow_admin_policy: Tf<bool>,
    pub annotate_service_account: Tf<bool>,
    pub verify: Tf<bool>,
    pub id: Tf<String>,
    pub role_arn: Tf<String>,
    pub trust_policy: Tf<String>,
    pub policy: Tf<String>,
    pub ownership_tags: Tf<BTreeMap<String, String>>,
    pub service_account_annotation: Tf<BTreeMap<String, String>>,
    pub mechanism: Tf<String>,
    pub cluster_names: Tf<Vec<String>>,
    pub target_role_arn: Tf<String>,
    pub disable_session_tags: Tf<bool>,
    pub pod_identity_agent_check: Tf<String>,
    pub association_ids: Tf<BTreeMap<String, String>>,
    pub association_role_arns: Tf<BTreeMap<String, String>>,
}

/// One entry of `s3_buckets`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct S3Bucket {
    pub bucket: Option<String>,
    pub prefixes: Option<Vec<String>>,
    pub access: Option<String>,
}

/// `secrets_manager`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SecretsManager {
    pub name_prefixes: Option<Vec<String>>,
    pub secret_arns: Option<Vec<String>>,
    pub kms_key_arn: Option<String>,
}

/// `ssm_parameters`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SsmParameters {
    pub paths: Option<Vec<String>>,
    pub kms_key_arn: Option<String>,
}

impl IrsaBindingModel {
    /// The namespace and service account the role trusts; both known in every plan and state that reaches
    /// IAM, so their absence is hub's bug.
    pub(crate) fn subject(&self) -> Result<(&str, &str), Diagnostics> {
        let missing = |n: &str| {
            Diagnostics::from_error(
                "Missing Attribute",
                format!("hub_irsa_binding has no known {n}. This is a bug in hub."),
            )
        };
        Ok((
            self.namespace.as_deref().ok_or_else(|| missing("namespace"))?,
            self.service_account
                .as_deref()
                .ok_or_else(|| missing("service_account"))?,
        ))
    }
    /// The namespace (empty when not known).
    pub(crate) fn namespace(&self) -> &str {
        self.namespace.as_deref().unwrap_or_default()
    }
    /// The service account (empty when not known).
    pub(crate) fn service_account(&self) -> &str {
        self.service_account.as_deref().unwrap_or_default()
    }
    /// Whether the service account may be a wildcard pattern.
    pub(crate) fn wildcard(&self) -> bool {
        self.allow_service_account_wildcard.value().unwrap_or(false)
    }
    /// Whether the pods get the role through EKS Pod Identity (otherwise IRSA).
    pub(crate) fn pod_identity(&self) -> bool {
        self.mechanism.as_deref() == Some(POD_IDENTITY)
    }
    /// The clusters Pod Identity associations are made on: `cluster_name` and `cluster_names`, sorted and
    /// without duplicates; `None` while any is unknown.
    pub(crate) fn association_clusters(&self) -> Option<BTreeSet<String>> {
        if self.cluster_name.is_unknown() || self.cluster_names.is_unknown() {
            return None;
        }
        let mut all: BTreeSet<String> = self.cluster_names.get().into_iter().flatten().cloned().collect();
        all.extend(self.cluster_name.get().cloned());
        Some(all)
    }
    /// Whether associations tag sessions (Pod Identity's default).
    pub(crate) fn session_tags(&self) -> bool {
        !self.disable_session_tags.value().unwrap_or(false)
    }
    /// Whether hub annotates the service account.
    pub(crate) fn annotate(&self) -> bool {
        self.annotate_service_account.value().unwrap_or(false)
    }
    /// Whether hub proves the role works after a change.
    pub(crate) fn verifies(&self) -> bool {
        self.verify.value().unwrap_or(true)
    }
    /// The IAM path.
    pub(crate) fn iam_path(&self) -> &str {
        self.path.as_deref().unwrap_or("/")
    }
    /// The maximum session duration in seconds.
    pub(crate) fn max_session(&self) -> i64 {
        self.max_session_duration.value().unwrap_or(DEFAULT_MAX_SESSION)
    }
    /// The user's tags (empty when null or unknown).
    pub(crate) fn user_tags(&self) -> BTreeMap<String, String> {
        self.tags.get().cloned().unwrap_or_default()
    }
    /// The known managed policy ARNs.
    pub(crate) fn managed_policies(&self) -> BTreeSet<String> {
        self.managed_policy_arns
            .get()
            .into_iter()
            .flatten()
            .filter_map(|a| a.get().cloned())
            .collect()
    }
    /// What the permission policy grants.
    pub(crate) fn grants(&self) -> Grants {
        let list = |v: &Option<Vec<String>>| v.clone().unwrap_or_default();
        Grants {
            s3: self
                .s3_buckets
                .get()
                .into_iter()
                .flatten()
                .filter_map(|b| {
                    Some(S3Grant {
                        bucket: b.bucket.clone()?,
                        prefixes: list(&b.prefixes),
                        access: b.access.as_deref().and_then(Access::parse).unwrap_or(Access::Read),
                    })
                })
                .collect(),
            secrets: self.secrets_manager.get().map(|s| SecretsGrant {
                name_prefixes: list(&s.name_prefixes),
                secret_arns: list(&s.secret_arns),
                kms_key_arn: s.kms_key_arn.clone(),
            }),
            ssm: self.ssm_parameters.get().map(|s| SsmGrant {
                paths: list(&s.paths),
                kms_key_arn: s.kms_key_arn.clone(),
            }),
        }
    }
}
