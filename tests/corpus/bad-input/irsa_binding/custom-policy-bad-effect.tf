# custom policy Effect 'Maybe'
# expect: custom_policy_json ~ Effect

resource "hub_irsa_binding" "bad" {
  cluster_name       = "hub-sandbox"
  namespace          = "default"
  service_account    = "corpus-sa"
  custom_policy_json = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Maybe", Action = "s3:GetObject", Resource = "*" }] })
}
