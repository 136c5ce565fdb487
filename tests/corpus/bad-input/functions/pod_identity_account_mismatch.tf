# an account that does not own the cluster
# expect: account_id ~ is not the account of cluster_arn
output "out" {
  value = provider::hub::pod_identity_trust_policy("444455556666", "arn:aws:eks:us-east-1:123456789012:cluster/prod", "shop", "api")
}
