# a namespace with capitals
# expect: namespace ~ is not a Kubernetes namespace name
output "out" {
  value = provider::hub::irsa_trust_policy("arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE", "Shop", "api")
}
