# a role ARN where the OIDC provider ARN belongs
# expect: oidc_provider_arn ~ is not an IAM OIDC provider ARN
output "out" {
  value = provider::hub::irsa_trust_policy("arn:aws:iam::123456789012:role/api", "shop", "api")
}
