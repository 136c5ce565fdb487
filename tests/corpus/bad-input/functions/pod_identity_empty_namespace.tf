# an empty namespace
# expect: namespace ~ is not a Kubernetes namespace name
output "out" {
  value = provider::hub::pod_identity_trust_policy("123456789012", "arn:aws:eks:us-east-1:123456789012:cluster/prod", "", "api")
}
