# the issuer URL instead of the IAM OIDC provider ARN
# expect: oidc_provider_arn ~ is not an IAM OIDC provider ARN
output "out" {
  value = provider::hub::irsa_trust_policy("https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE", "shop", "api")
}
