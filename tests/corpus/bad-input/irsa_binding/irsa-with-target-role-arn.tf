# a target role with IRSA
# expect: target_role_arn ~ applies only to EKS Pod Identity

resource "hub_irsa_binding" "bad" {
  cluster_name    = "hub-sandbox"
  namespace       = "default"
  service_account = "corpus-sa"
  target_role_arn = "arn:aws:iam::210987654321:role/shared-data"
}
