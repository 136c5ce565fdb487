# a single-statement object granting * on * (opt-in explicitly false)
# expect: custom_policy_json ~ allow_admin_policy

resource "hub_irsa_binding" "bad" {
  cluster_name    = "hub-sandbox"
  namespace       = "default"
  service_account = "corpus-sa"
  allow_admin_policy = false
  custom_policy_json = jsonencode({ Version = "2012-10-17", Statement = { Effect = "Allow", Action = "*", Resource = "*" } })
}
