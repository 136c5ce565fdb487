# max session 50000 s
# expect: max_session_duration ~ 43200

resource "hub_irsa_binding" "bad" {
  cluster_name         = "hub-sandbox"
  namespace            = "default"
  service_account      = "corpus-sa"
  max_session_duration = 50000
}
