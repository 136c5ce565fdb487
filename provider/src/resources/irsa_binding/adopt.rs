//! Recovery of a role whose creation outlived its apply: when the provider is killed (or the CLI dies)
//! after CreateRole succeeded but before Terraform saved state, the next apply finds the role already
//! there. A role whose trust policy is exactly the one this binding writes admits only this service
//! account through this OIDC provider, so it was created for this binding: it is adopted (and completed:
//! inline policy, attachments) instead of failing with "already exists". Any other role is refused.

use crate::aws::{AwsClients, AwsErrorKind, classify, sdk_error};
use crate::diag::Diagnostics;

use super::policy::canonical_document;

/// Whether an existing role's trust policy (as IAM returns it, percent-encoded or not) is `desired`.
pub(super) fn same_trust(existing: Option<&str>, desired: &str) -> bool {
    match (existing.map(canonical_document), canonical_document(desired)) {
        (Some(Ok(a)), Ok(b)) => a == b,
        _ => false,
    }
}

/// The ARN of role `name` if it exists with trust policy `trust` (adoptable); `None` when it exists with
/// another trust policy (or vanished meanwhile).
pub(super) async fn adoptable_role(aws: &AwsClients, name: &str, trust: &str) -> Result<Option<String>, Diagnostics> {
    match aws.iam.get_role().role_name(name).send().await {
        Ok(out) => Ok(out
            .role()
            .filter(|r| same_trust(r.assume_role_policy_document(), trust))
            .map(|r| r.arn().to_owned())),
        Err(e) if classify(&e) == AwsErrorKind::NotFound => Ok(None),
        Err(e) => Err(sdk_error(&format!("Reading IAM role {name:?}"), &e)),
    }
}

/// The warning that says a role was adopted rather than created.
pub(super) fn adopted_warning(name: &str) -> Diagnostics {
    let mut d = Diagnostics::new();
    d.warning(
        "IAM Role Adopted",
        format!(
            "IAM role {name:?} already existed with exactly this binding's trust policy (an earlier apply was \
             interrupted after creating it), so hub took it over and completed it instead of creating it again. \
             It is now managed by this binding and deleted with it."
        ),
    );
    d
}

#[cfg(test)]
mod tests {
    use super::same_trust;

    const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"oidc.eks.us-east-1.amazonaws.com/id/ABC:sub":"system:serviceaccount:team:app","oidc.eks.us-east-1.amazonaws.com/id/ABC:aud":"sts.amazonaws.com"}}}]}"#;

    #[test]
    fn the_same_trust_policy_percent_encoded_and_reordered_is_adoptable() {
        let encoded: String =
            percent_encoding::utf8_percent_encode(TRUST, percent_encoding::NON_ALPHANUMERIC).collect();
        assert!(same_trust(Some(&encoded), TRUST));
        let reordered = TRUST
            .replace(r#""Effect":"Allow","Principal""#, r#""Principal""#)
            .replace(
                r#""Action":"sts:AssumeRoleWithWebIdentity""#,
                r#""Action":"sts:AssumeRoleWithWebIdentity","Effect":"Allow""#,
            );
        assert!(same_trust(Some(&reordered), TRUST));
    }

    #[test]
    fn another_subject_or_no_policy_is_not_adoptable() {
        let other = TRUST.replace("team:app", "team:other");
        assert!(!same_trust(Some(&other), TRUST));
        assert!(!same_trust(None, TRUST));
        assert!(!same_trust(Some("not json"), TRUST));
    }
}
