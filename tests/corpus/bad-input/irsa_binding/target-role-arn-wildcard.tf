# a wildcard target role
# expect: target_role_arn ~ without wildcards

resource "hub_irsa_binding" "bad" {
  mechanism       = "pod_identity"
  cluster_name    = "hub-sandbox"
  namespace       = "default"
  service_account = "corpus-sa"
  target_role_arn = "arn:aws:iam::210987654321:role/shared-*"
}
