# a wildcard service account, which the function never writes
# expect: service_account ~ is not a service account name
output "out" {
  value = provider::hub::irsa_trust_policy("arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE", "shop", "*")
}
