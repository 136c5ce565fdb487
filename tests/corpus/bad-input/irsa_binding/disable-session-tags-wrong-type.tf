# session tags setting as words
# expect: disable_session_tags ~ bool

resource "hub_irsa_binding" "bad" {
  mechanism            = "pod_identity"
  cluster_name         = "hub-sandbox"
  namespace            = "default"
  service_account      = "corpus-sa"
  disable_session_tags = "sometimes"
}
