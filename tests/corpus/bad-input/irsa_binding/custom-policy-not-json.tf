# custom policy is not JSON
# expect: custom_policy_json ~ policy

resource "hub_irsa_binding" "bad" {
  cluster_name       = "hub-sandbox"
  namespace          = "default"
  service_account    = "corpus-sa"
  custom_policy_json = "{not json"
}
