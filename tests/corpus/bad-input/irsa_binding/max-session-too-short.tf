# max session 1800 s
# expect: max_session_duration ~ 3600

resource "hub_irsa_binding" "bad" {
  cluster_name         = "hub-sandbox"
  namespace            = "default"
  service_account      = "corpus-sa"
  max_session_duration = 1800
}
