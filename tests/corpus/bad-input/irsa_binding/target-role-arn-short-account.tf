# a target role ARN with a short account
# expect: target_role_arn ~ IAM ARN

resource "hub_irsa_binding" "bad" {
  mechanism       = "pod_identity"
  cluster_name    = "hub-sandbox"
  namespace       = "default"
  service_account = "corpus-sa"
  target_role_arn = "arn:aws:iam::2109876:role/shared-data"
}
