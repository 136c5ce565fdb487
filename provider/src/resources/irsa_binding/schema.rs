//! What users write for `hub_irsa_binding`: attributes, descriptions, single-attribute validators and defaults.

use crate::schema::{Attribute, Block, Nesting, Schema, validators};

use super::model::{DEFAULT_MAX_SESSION, POD_IDENTITY};
use super::validate::{self as v, arn_problem, iam_path_problem, policy_arn_problem, role_name_problem};

/// Longest `role_name_prefix`: 64 minus the 26 characters hub appends.
pub(super) const MAX_PREFIX: usize = 38;

fn oidc_arn(s: &str) -> Option<String> {
    super::policy::OidcProvider::parse(s)
        .err()
        .map(|e| format!("is invalid: {e}"))
}
fn kms_arn(s: &str) -> Option<String> {
    arn_problem(s, "kms", "key/")
}
fn secret_arn(s: &str) -> Option<String> {
    arn_problem(s, "secretsmanager", "secret:")
}
fn target_role_arn(s: &str) -> Option<String> {
    arn_problem(s, "iam", "role/")
}
fn role_name(s: &str) -> Option<String> {
    role_name_problem(s, 64)
}
fn role_prefix(s: &str) -> Option<String> {
    role_name_problem(s, MAX_PREFIX)
}

pub(super) fn schema() -> Schema {
    Schema::new(Block::new(
        "An IAM role assumable only by one Kubernetes service account, through IRSA (the default: the trust \
         policy is generated from the cluster's IAM OIDC provider with `sub` and `aud` under `StringEquals`, and \
         the annotation to put on the service account is computed) or EKS Pod Identity (`mechanism = \
         \"pod_identity\"`: the role trusts the Pod Identity agent for the clusters named, pinned by cluster ARN, \
         account and session tags, and hub makes one association per cluster). The permissions come from grants \
         that read like the app's needs. Both policies and the associations are shown in the plan; out-of-band \
         edits are detected and repaired; changing `mechanism` updates the binding in place with no gap.",
        vec![
            Attribute::string("cluster_name")
                .validate(validators::eks_cluster_name())
                .description("EKS cluster whose OIDC issuer the role trusts (looked up with DescribeCluster and the account's IAM OIDC providers). Set this or `oidc_provider_arn`. With `mechanism = \"pod_identity\"`: a cluster that gets an association (with those of `cluster_names`)."),
            Attribute::string("mechanism")
                .default_value("irsa")
                .validate(validators::one_of(&["irsa", POD_IDENTITY]))
                .description("How pods get the role: `irsa` (default; the service account's token is exchanged at STS through the cluster's IAM OIDC provider, wired by the `eks.amazonaws.com/role-arn` annotation) or `pod_identity` (EKS Pod Identity: the role trusts `pods.eks.amazonaws.com` for the clusters named, and hub makes one Pod Identity association per cluster; no annotation). Changing it on a live binding updates in place with no gap: the role keeps its ARN and grants, trusts both mechanisms while associations are created and the annotation changes, then only the new one."),
            Attribute::string_set("cluster_names")
                .validate(v::each("EKS Cluster Name", validators::eks_cluster_name_problem))
                .description("Pod Identity only: EKS clusters whose pods get the role, one association each (one role, many clusters); `cluster_name` is added when set. The trust policy pins every cluster's ARN (`aws:SourceArn`) and account (`aws:SourceAccount`). A cluster on Kubernetes before 1.24 (no Pod Identity) is refused at plan."),
            Attribute::string("target_role_arn")
                .validate(v::string("Target Role ARN", target_role_arn))
                .description("Pod Identity only: a role (usually in another account) the association chains into: the agent assumes this binding's role, then the target role, and gives pods the target's credentials. hub grants this role `sts:AssumeRole` and `sts:TagSession` on it; the target's own trust policy must admit this role."),
            Attribute::bool("disable_session_tags")
                .default_value(false)
                .description("Pod Identity only: the associations do not tag sessions with the pod's namespace, service account and cluster, and the trust policy then cannot pin the namespace and service account (it still pins the clusters and their account). Use only when session tags exceed a limit, e.g. with a target role."),
            Attribute::string("pod_identity_agent_check")
                .default_value("warn")
                .validate(validators::one_of(&["off", "warn", "error"]))
                .description("Pod Identity only: at plan, ask EKS (`DescribeAddon` of `eks-pod-identity-agent`) whether each cluster runs the Pod Identity agent add-on, ACTIVE, and has nodes it can run on (`ListNodegroups`, `ListFargateProfiles`: a cluster with Fargate profiles and no managed node group has none, since Fargate runs no DaemonSets): `warn` (default) adds a warning when not (pods would get no credentials), `error` refuses the plan, `off` skips the check. When AWS cannot answer, it is a warning."),
            Attribute::string("oidc_provider_arn")
                .optional_computed()
                .validate(v::string("OIDC Provider ARN", oidc_arn))
                .description("ARN of the cluster's IAM OIDC provider (e.g. the EKS module's `oidc_provider_arn`). The trust condition keys are derived from it. Computed from `cluster_name` when not set."),
            Attribute::string("oidc_issuer").description("The cluster's OIDC issuer URL (standard or dual-stack form). Optional; when set it must name the same issuer as `oidc_provider_arn`."),
            Attribute::string("namespace")
                .required()
                .validate(validators::dns1123_label())
                .description("Namespace of the service account."),
            Attribute::string("service_account")
                .required()
                .description("Service account name. A `*` wildcard needs `allow_service_account_wildcard`."),
            Attribute::bool("allow_service_account_wildcard")
                .default_value(false)
                .description("Allow `*`/`?` in `service_account` (the `sub` condition then uses `StringLike`; `aud` stays exact)."),
            Attribute::string("role_name")
                .optional_computed()
                .requires_replace()
                .use_state_for_unknown()
                .validate(v::string("Role Name", role_name))
                .description("IAM role name. Default: generated from `role_name_prefix`."),
            Attribute::string("role_name_prefix")
                .requires_replace()
                .validate(v::string("Role Name Prefix", role_prefix))
                .description("Prefix of a generated role name (at most 38 characters)."),
            Attribute::string("path")
                .default_value("/")
                .requires_replace()
                .validate(v::string("IAM Path", iam_path_problem))
                .description("IAM path of the role."),
            Attribute::string("description").description("Role description."),
            Attribute::string("permissions_boundary")
                .validate(v::string("Permissions Boundary", policy_arn_problem))
                .description("ARN of the IAM managed policy set as the role's permissions boundary: the role can never do more than it allows, whatever its policies grant. Changing it updates the role in place; removing it removes the boundary. Required in practice when the identity running Terraform has the policy in docs/permissions.md, which lets it create and change roles only with that boundary."),
            Attribute::number("max_session_duration")
                .default_value(DEFAULT_MAX_SESSION)
                .validate(validators::int_between(3600, 43200))
                .description("Maximum session duration in seconds (3600–43200)."),
            Attribute::string_map("tags").validate(v::tags()).description("IAM tags of the role (at most 48). Keys starting with `hub:` are reserved: see `ownership_tags`."),
            Attribute::nested(
                "s3_buckets",
                Nesting::List,
                vec![
                    Attribute::string("bucket").required().validate(v::string("Bucket Name", v::bucket_problem)).description("Bucket name."),
                    Attribute::string_list("prefixes").validate(v::each("Key Prefix", v::literal_problem)).description("Key prefixes the role may use (e.g. `uploads/`). Default: the whole bucket."),
                    Attribute::string("access")
                        .default_value("read")
                        .validate(validators::one_of(&["read", "write", "read-write"]))
                        .description("`read` (list, get), `write` (put, delete) or `read-write`."),
                ],
            )
            .description("S3 access, one entry per bucket."),
            Attribute::nested(
                "secrets_manager",
                Nesting::Single,
                vec![
                    Attribute::string_list("name_prefixes").validate(v::each("Secret Name Prefix", v::secret_prefix_problem)).description("Secret name prefixes ending in `/`, e.g. `/my-app/`."),
                    Attribute::string_list("secret_arns").validate(v::each("Secret ARN", secret_arn)).description("Exact secret ARNs."),
                    Attribute::string("kms_key_arn").validate(v::string("KMS Key ARN", kms_arn)).description("Customer-managed KMS key of the secrets; `kms:Decrypt` is granted only via Secrets Manager."),
                ],
            )
            .description("Read access to Secrets Manager secrets."),
            Attribute::nested(
                "ssm_parameters",
                Nesting::Single,
                vec![
                    Attribute::string_list("paths").required().validate(v::each("Parameter Path", v::ssm_path_problem)).description("Parameter paths, e.g. `/my-app`; access covers the path and everything below it."),
                    Attribute::string("kms_key_arn").validate(v::string("KMS Key ARN", kms_arn)).description("KMS key of SecureString parameters; `kms:Decrypt` is granted only via SSM."),
                ],
            )
            .description("Read access to SSM Parameter Store parameters."),
            Attribute::string("custom_policy_json")
                .validate(crate::schema::Validator::new("a policy document", |v, path, diags| {
                    if let Some(s) = v.as_str()
                        && let Err(p) = super::policy::with_custom(None, Some(s))
                    {
                        diags.error_at(path, "Invalid Policy Document", format!("{path} {p}."));
                    }
                }))
                .description("A policy document (e.g. from `jsonencode` or `aws_iam_policy_document`) whose statements are added to the inline policy."),
            Attribute::string_set("managed_policy_arns")
                .validate(v::each("Managed Policy ARN", policy_arn_problem))
                .description("Managed policies to attach. Attachments made by others are left alone."),
            Attribute::bool("allow_admin_policy")
                .default_value(false)
                .description("Allow policies that give the role administrator access: a `custom_policy_json` statement allowing `*` or `iam:*` on resource `*`, or the AWS managed policies `AdministratorAccess` and `IAMFullAccess`. Off: such a configuration fails validation, naming the statement or ARN."),
            Attribute::bool("annotate_service_account")
                .default_value(false)
                .description("Annotate the service account with `eks.amazonaws.com/role-arn` when it exists (and remove the annotation on destroy)."),
            Attribute::bool("verify")
                .default_value(true)
                .description("After the role or its trust policy changes (with Pod Identity also its associations), prove pods get the role, retrying while IAM and EKS propagate. IRSA: request a token for the service account (when it exists), check its claims against the trust policy and that STS AssumeRoleWithWebIdentity accepts it. Pod Identity, as the agent does: a token bound to a pod running as the service account (skipped while there is none), audience `pods.eks.amazonaws.com`, exchanged at EKS Auth AssumeRoleForPodIdentity on the binding's cluster that issued it; no association there, or a trust policy (or target role) that refuses, is an error."),
            Attribute::string("id").computed().use_state_for_unknown().description("The role name."),
            Attribute::string("role_arn").computed().description("ARN of the role."),
            Attribute::string("trust_policy").computed().description("The trust policy (canonical JSON)."),
            Attribute::string("policy").computed().description("The inline permission policy (canonical JSON); null when nothing is granted."),
            Attribute::string_map("ownership_tags").computed().description("The tags hub writes on the role, with CreateRole: `hub:managed-by = \"terraform-provider-hub\"` and `hub:binding = \"NAMESPACE/SERVICE_ACCOUNT\"` (a `sha256:` digest of that text when it contains a wildcard or is too long for a tag). A role is adopted after an interrupted create, and deleted by destroy, only when it carries both; an imported role gets them on the next apply. They are not part of `tags`."),
            Attribute::string_map("service_account_annotation").computed().description("The annotation the service account needs: `{\"eks.amazonaws.com/role-arn\" = role_arn}` with IRSA, empty with Pod Identity (which must not be combined with the annotation)."),
            Attribute::string_map("association_ids").computed().description("Pod Identity: the association ID on each cluster (cluster name → ID); null with IRSA. An association deleted out of band disappears here at refresh and is re-created by apply."),
            Attribute::string_map("association_role_arns").computed().description("Pod Identity: the role each cluster's association gives pods, as read from EKS (cluster name → role ARN). An association pointed at another role out of band shows here at refresh and is pointed back by apply."),
        ],
    ))
}
