//! Which IAM roles are hub's. CreateRole writes two tags with the role, atomically: `hub:managed-by` and
//! `hub:binding` (the namespace and service account it serves). Adoption after an interrupted create and
//! destroy act only on a role carrying both, because another tool (eksctl, terraform-aws-modules) writes
//! the same trust policy shape and only the tags say hub made the role. The values are computed from the
//! configuration, so a re-run after an apply that never saved state recomputes them. Users cannot write
//! `hub:` keys through `tags`, and reads keep them out of `tags` (they show in `ownership_tags`).

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

use crate::diag::Diagnostics;

/// Every key starting with this (any case: IAM tag keys are case-insensitive) is hub's.
pub(super) const RESERVED_PREFIX: &str = "hub:";
/// Marks a role as made by hub.
pub(super) const MANAGED_BY_KEY: &str = "hub:managed-by";
pub(super) const MANAGED_BY_VALUE: &str = "terraform-provider-hub";
/// Names the binding the role was made for.
pub(super) const BINDING_KEY: &str = "hub:binding";
/// IAM's limit of tags per role; hub uses two of them.
pub(super) const MAX_ROLE_TAGS: usize = 50;

/// Whether `key` is one of hub's reserved tag keys.
pub(super) fn is_reserved(key: &str) -> bool {
    key.get(..RESERVED_PREFIX.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(RESERVED_PREFIX))
}

/// The `hub:binding` value: `namespace/service-account` when IAM accepts that as a tag value; a wildcard
/// or an over-long name is replaced by a digest of the same text, so the value stays computable.
pub(super) fn binding_value(namespace: &str, service_account: &str) -> String {
    let plain = format!("{namespace}/{service_account}");
    let allowed = |c: char| c.is_alphanumeric() || c.is_whitespace() || "_.:/=+-@".contains(c);
    if plain.len() <= 256 && plain.chars().all(allowed) {
        return plain;
    }
    let digest = Sha256::digest(plain.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// The tags hub writes on the role of this binding.
pub(super) fn ownership_tags(namespace: &str, service_account: &str) -> BTreeMap<String, String> {
    BTreeMap::from([
        (MANAGED_BY_KEY.to_owned(), MANAGED_BY_VALUE.to_owned()),
        (BINDING_KEY.to_owned(), binding_value(namespace, service_account)),
    ])
}

/// The reserved tags among a role's tags.
pub(super) fn reserved_of<'a>(tags: impl IntoIterator<Item = (&'a str, &'a str)>) -> BTreeMap<String, String> {
    tags.into_iter()
        .filter(|(k, _)| is_reserved(k))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

/// What a role's tags say about it, for the binding whose tags are `expected`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Owner {
    /// hub made it for this binding.
    ThisBinding,
    /// hub made it for another binding (`hub:binding` is the value found).
    OtherBinding(String),
    /// No `hub:managed-by` tag: another tool made it, an import not applied yet, or a hub before tags.
    NotHub,
}

pub(super) fn owner(tags: &BTreeMap<String, String>, expected: &BTreeMap<String, String>) -> Owner {
    if tags.get(MANAGED_BY_KEY).map(String::as_str) != Some(MANAGED_BY_VALUE) {
        return Owner::NotHub;
    }
    match (tags.get(BINDING_KEY), expected.get(BINDING_KEY)) {
        (Some(found), Some(want)) if found == want => Owner::ThisBinding,
        (found, _) => Owner::OtherBinding(found.cloned().unwrap_or_default()),
    }
}

/// Destroy's refusal to delete a role that is not this binding's. An error, not a warning: a warning would
/// let the resource leave the state while the role and its permissions stay in IAM with nothing tracking
/// them; the error keeps it in state, writes nothing, and names both ways out.
pub(super) fn not_deleted(name: &str, owner: &Owner) -> Diagnostics {
    let why = match owner {
        Owner::OtherBinding(other) => format!("is tagged {BINDING_KEY}={other:?}, another binding's"),
        _ => format!(
            "has no {MANAGED_BY_KEY}={MANAGED_BY_VALUE} tag: another tool made it, or it was imported (or made by a \
             hub version before these tags) and has not been applied since"
        ),
    };
    Diagnostics::from_error(
        "IAM Role Not Made By hub",
        format!(
            "IAM role {name:?} {why}, so hub deleted nothing (the role, its policies and the service-account \
             annotation are as they were). To delete it with this binding, run apply once (hub then tags the role as \
             this binding's; if the change at hand replaces the binding, apply the configuration without it first) \
             and destroy again; to keep the role, remove the binding from the state with `terraform state rm \
             <address>`."
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_binding_value_is_readable_when_iam_accepts_it_and_a_digest_otherwise() {
        assert_eq!(binding_value("payments", "api"), "payments/api");
        let wildcard = binding_value("payments", "api-*");
        assert!(wildcard.starts_with("sha256:") && wildcard.len() == 71, "{wildcard}");
        assert_eq!(wildcard, binding_value("payments", "api-*"), "recomputable");
        assert_ne!(wildcard, binding_value("payments", "api-?"));
        let long = binding_value(&"n".repeat(63), &"s".repeat(253));
        assert!(long.starts_with("sha256:"), "{long}");
    }

    #[test]
    fn reserved_keys_ignore_case() {
        assert!(is_reserved("hub:binding"));
        assert!(is_reserved("HUB:Anything"));
        assert!(!is_reserved("hub"));
        assert!(!is_reserved("team"));
        assert!(!is_reserved("hubris:x"));
        assert!(!is_reserved("é"));
    }

    #[test]
    fn only_both_tags_with_this_binding_make_the_role_this_bindings() {
        let want = ownership_tags("payments", "api");
        assert_eq!(owner(&want, &want), Owner::ThisBinding);
        let mut other = ownership_tags("payments", "worker");
        assert_eq!(owner(&other, &want), Owner::OtherBinding("payments/worker".into()));
        other.remove(MANAGED_BY_KEY);
        assert_eq!(owner(&other, &want), Owner::NotHub);
        let foreign = BTreeMap::from([
            ("created-by".to_owned(), "eksctl".to_owned()),
            (BINDING_KEY.to_owned(), "payments/api".to_owned()),
        ]);
        assert_eq!(owner(&foreign, &want), Owner::NotHub);
        assert_eq!(owner(&BTreeMap::new(), &want), Owner::NotHub);
        let mut no_binding = want.clone();
        no_binding.remove(BINDING_KEY);
        assert_eq!(owner(&no_binding, &want), Owner::OtherBinding(String::new()));
    }
}
