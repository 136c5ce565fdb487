# max session as words
# expect: max_session_duration ~ number is required

resource "hub_irsa_binding" "bad" {
  cluster_name         = "hub-sandbox"
  namespace            = "default"
  service_account      = "corpus-sa"
  max_session_duration = "one hour"
}
