# AdministratorAccess without the opt-in
# expect: managed_policy_arns ~ allow_admin_policy

resource "hub_irsa_binding" "bad" {
  cluster_name    = "hub-sandbox"
  namespace       = "default"
  service_account = "corpus-sa"
  managed_policy_arns = ["arn:aws:iam::aws:policy/AdministratorAccess"]
}
