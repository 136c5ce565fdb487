# a cluster name where the cluster ARN belongs
# expect: cluster_arn ~ is not an EKS cluster ARN
output "out" {
  value = provider::hub::pod_identity_trust_policy("123456789012", "prod", "shop", "api")
}
