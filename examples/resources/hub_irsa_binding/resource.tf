# Seed 001's pod role: `my-app-serviceaccount` in `my-app-prod` may read and write `my-app-bucket` and read
# the secrets and parameters under `/my-app/`. Nothing else can assume the role.
resource "hub_irsa_binding" "api" {
  # From the EKS module: `oidc_provider_arn = module.eks.oidc_provider_arn`; or set `cluster_name` and hub
  # looks the provider up.
  oidc_provider_arn = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
  namespace         = "my-app-prod"
  service_account   = "my-app-serviceaccount"

  role_name   = "my-app-eks-pod-role"
  description = "my-app API pods in my-app-prod (IRSA)"
  # The role can never do more than this policy allows. The IAM policy of docs/permissions.md lets
  # Terraform create roles only with it.
  permissions_boundary = "arn:aws:iam::123456789012:policy/my-app-irsa-boundary"
  tags = {
    team        = "my-app"
    environment = "prod"
  }

  s3_buckets = [
    { bucket = "my-app-bucket", access = "read-write" },
  ]
  secrets_manager = {
    name_prefixes = ["/my-app/"]
  }
  ssm_parameters = {
    paths = ["/my-app"]
  }

  # For a hub_app, write `service_account = { irsa = hub_irsa_binding.api }` there. For a service account
  # hub does not manage, let the binding put `eks.amazonaws.com/role-arn` on it when it exists:
  # annotate_service_account = true
}

output "api_role_arn" {
  value = hub_irsa_binding.api.role_arn
}

# The same kind of role through EKS Pod Identity, for one app on two clusters: the role trusts
# pods.eks.amazonaws.com only for these clusters (aws:SourceArn, aws:SourceAccount) and only for sessions the
# agent tags with this namespace and service account; hub makes one Pod Identity association per cluster.
# The clusters need the eks-pod-identity-agent add-on (checked at plan; `pod_identity_agent_check = "error"`
# refuses the plan without it). No annotation goes on the service account.
resource "hub_irsa_binding" "worker" {
  mechanism       = "pod_identity"
  cluster_names   = ["prod-eu-1", "prod-eu-2"]
  namespace       = "my-app-prod"
  service_account = "my-app-worker"

  role_name            = "my-app-eks-worker-role"
  permissions_boundary = "arn:aws:iam::123456789012:policy/my-app-irsa-boundary"
  s3_buckets           = [{ bucket = "my-app-bucket", prefixes = ["jobs/"] }]

  # Not yet: `service_account = { irsa = hub_irsa_binding.worker }` in a hub_app. hub_app would put the IRSA
  # annotation on the account, which Pod Identity must not have.

  # Cross-account: the agent assumes this role, then the data account's role (which must trust this one).
  # target_role_arn = "arn:aws:iam::210987654321:role/my-app-data-reader"
}

# Moving an IRSA binding to Pod Identity: change `mechanism` to "pod_identity", name the clusters
# (`cluster_name` is kept and used), and drop `annotate_service_account` and `oidc_provider_arn`. The plan
# updates the binding in place (same role ARN, same grants) and says how: the role trusts both mechanisms,
# the associations are created, hub's annotation is removed, then only Pod Identity is trusted. Pods pick up
# Pod Identity credentials when they restart. Switching back is the same change the other way round.
