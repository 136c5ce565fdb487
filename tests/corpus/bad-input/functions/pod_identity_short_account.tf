# an account ID that is not 12 digits
# expect: account_id ~ is not a 12-digit AWS account ID
output "out" {
  value = provider::hub::pod_identity_trust_policy("12345", "arn:aws:eks:us-east-1:123456789012:cluster/prod", "shop", "api")
}
