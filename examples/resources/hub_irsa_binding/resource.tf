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
