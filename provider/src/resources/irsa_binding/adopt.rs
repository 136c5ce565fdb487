//! Recovery of a role whose creation outlived its apply: when the provider is killed (or the CLI dies)
//! after CreateRole succeeded but before Terraform saved state, the next apply finds the role already
//! there. It is adopted (and completed: inline policy, attachments) instead of failing with "already
//! exists" only when its tags say hub made it for this binding (written atomically by CreateRole, see
//! [`ownership`](super::ownership)) and its trust policy is exactly the one this binding writes. A trust
//! policy alone proves nothing: eksctl and terraform-aws-modules write the same `sub` + `aud` shape. Any
//! other role is refused with a pointer to import, which is the explicit way to take a role over.

use std::collections::BTreeMap;

use crate::aws::{AwsClients, AwsErrorKind, classify, sdk_error};
use crate::diag::Diagnostics;

use super::ownership::{self, Owner};
use super::policy::canonical_document;

/// Whether an existing role's trust policy (as IAM returns it, percent-encoded or not) is `desired`.
pub(super) fn same_trust(existing: Option<&str>, desired: &str) -> bool {
    match (existing.map(canonical_document), canonical_document(desired)) {
        (Some(Ok(a)), Ok(b)) => a == b,
        _ => false,
    }
}

/// Whether a role with `tags` and trust policy `trust` may be adopted by the binding whose ownership tags
/// are `expected` and whose trust policy is `desired`: `Ok(())`, or why not.
pub(super) fn adoption(
    tags: &BTreeMap<String, String>,
    expected: &BTreeMap<String, String>,
    trust: Option<&str>,
    desired: &str,
) -> Result<(), String> {
    match ownership::owner(tags, expected) {
        Owner::NotHub => Err(format!(
            "it has no {}={} tag, so hub did not create it (another tool may manage it)",
            ownership::MANAGED_BY_KEY,
            ownership::MANAGED_BY_VALUE
        )),
        Owner::OtherBinding(other) => Err(format!(
            "hub created it for another binding ({}={other:?})",
            ownership::BINDING_KEY
        )),
        Owner::ThisBinding if !same_trust(trust, desired) => {
            Err("its trust policy is not the one this binding writes".to_owned())
        }
        Owner::ThisBinding => Ok(()),
    }
}

/// The ARN of role `name` if this binding may adopt it; otherwise the "already exists" error saying why.
pub(super) async fn adopt(
    aws: &AwsClients,
    name: &str,
    expected: &BTreeMap<String, String>,
    trust: &str,
) -> Result<String, Diagnostics> {
    let role = match aws.iam.get_role().role_name(name).send().await {
        Ok(out) => out.role().cloned(),
        Err(e) if classify(&e) == AwsErrorKind::NotFound => None,
        Err(e) => return Err(sdk_error(&format!("Reading IAM role {name:?}"), &e)),
    };
    let verdict = match &role {
        Some(r) => adoption(
            &ownership::reserved_of(r.tags().iter().map(|t| (t.key(), t.value()))),
            expected,
            r.assume_role_policy_document(),
            trust,
        )
        .map(|()| r.arn().to_owned()),
        None => Err("it vanished while hub looked at it".to_owned()),
    };
    verdict.map_err(|why| {
        Diagnostics::from_error(
            "IAM Role Already Exists",
            format!(
                "IAM role {name:?} already exists and is not in this Terraform state, and hub will not take it over: \
                 {why}. Import it (`terraform import <address> {name}`, or an import block) if this binding should \
                 manage it, or choose another role_name."
            ),
        )
    })
}

/// The warning that says a role was adopted rather than created.
pub(super) fn adopted_warning(name: &str) -> Diagnostics {
    let mut d = Diagnostics::new();
    d.warning(
        "IAM Role Adopted",
        format!(
            "IAM role {name:?} already existed, tagged by hub for this binding and with exactly its trust policy (an \
             earlier apply was interrupted after creating it), so hub took it over and completed it instead of \
             creating it again. It is now managed by this binding and deleted with it."
        ),
    );
    d
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::super::ownership::ownership_tags;
    use super::{adoption, same_trust};

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

    #[test]
    fn a_role_with_this_trust_policy_but_without_hubs_tags_is_not_adopted() {
        let want = ownership_tags("team", "app");
        let eksctl = BTreeMap::from([("alpha.eksctl.io/cluster-name".to_owned(), "prod".to_owned())]);
        let refused = adoption(&eksctl, &want, Some(TRUST), TRUST).unwrap_err();
        assert!(refused.contains("hub:managed-by=terraform-provider-hub"), "{refused}");
        let other = ownership_tags("team", "other");
        let refused = adoption(&other, &want, Some(TRUST), TRUST).unwrap_err();
        assert!(refused.contains("team/other"), "{refused}");
        let changed = TRUST.replace("team:app", "team:other");
        assert!(adoption(&want, &want, Some(&changed), TRUST).is_err());
        assert_eq!(adoption(&want, &want, Some(TRUST), TRUST), Ok(()));
    }
}
