# identity policy with a Principal
# expect: custom_policy_json ~ Principal

resource "hub_irsa_binding" "bad" {
  cluster_name       = "hub-sandbox"
  namespace          = "default"
  service_account    = "corpus-sa"
  custom_policy_json = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "*" }] })
}
