# session tags disabled with IRSA
# expect: disable_session_tags ~ applies only to EKS Pod Identity

resource "hub_irsa_binding" "bad" {
  mechanism            = "irsa"
  cluster_name         = "hub-sandbox"
  namespace            = "default"
  service_account      = "corpus-sa"
  disable_session_tags = true
}
