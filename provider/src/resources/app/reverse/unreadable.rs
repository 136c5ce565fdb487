//! The `hub_app` attributes an import cannot read back from the live objects, each with the reason. The
//! reverse render leaves them at what a configuration that does not set them plans (null or the schema
//! default); import-verify in the acceptance tests ignores exactly these. The acceptance tests compile this
//! file too (by path, without depending on the provider crate), so it names nothing outside itself.

/// `(attribute, reason)`: a top-level attribute, or a dotted path for one nested attribute.
pub const UNREADABLE: &[(&str, &str)] = &[
    (
        "secret_env",
        "secret values: import never copies a Secret's values into state (its keys stay, masked, in `rendered`)",
    ),
    ("secret_env_wo", "write-only: never in state or plan, by design"),
    (
        "secret_env_wo_version",
        "kept only inside the pod template's config checksum, a one-way hash",
    ),
    (
        "adopt_existing",
        "how a create treats objects it finds; no object records it",
    ),
    (
        "force_conflicts",
        "how apply treats field conflicts; no object records it",
    ),
    (
        "adopt_from_helm",
        "how apply treats Helm's fields; no object records it",
    ),
    ("rollout", "how apply waits for the rollout; no object records it"),
    (
        "delete_timeout",
        "how destroy waits for the Ingress to go; no object records it",
    ),
    (
        "service_account.irsa.mechanism",
        "Pod Identity lives in EKS associations, not in the cluster's objects: import reads an IRSA role from \
         the annotation (mechanism null, which means irsa) and finds no role for a Pod Identity app",
    ),
    (
        "service_account.irsa.association_ids",
        "EKS associations, which the cluster's objects do not record (only the pod template's checksum does)",
    ),
    (
        "volumes.claim.retain_on_destroy",
        "what destroy does with the claim; no object records it (an import keeps claims, the default)",
    ),
];
