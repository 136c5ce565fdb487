# a role name where the target role ARN goes
# expect: target_role_arn ~ IAM ARN

resource "hub_irsa_binding" "bad" {
  mechanism       = "pod_identity"
  cluster_name    = "hub-sandbox"
  namespace       = "default"
  service_account = "corpus-sa"
  target_role_arn = "shared-data"
}
