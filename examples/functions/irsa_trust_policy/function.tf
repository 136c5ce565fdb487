# A role managed by the AWS provider that trusts exactly the service account hub_app "api" runs as.
resource "aws_iam_role" "api" {
  name = "shop-api"
  assume_role_policy = provider::hub::irsa_trust_policy(
    module.eks.oidc_provider_arn, "shop", "api",
  )
}
