# managed policy by name instead of ARN
# expect: managed_policy_arns[0] ~ ARN

resource "hub_irsa_binding" "bad" {
  cluster_name        = "hub-sandbox"
  namespace           = "default"
  service_account     = "corpus-sa"
  managed_policy_arns = ["ReadOnlyAccess"]
}
