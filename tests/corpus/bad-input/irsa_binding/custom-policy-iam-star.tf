# a custom policy allowing iam:* on * without the opt-in
# expect: custom_policy_json ~ administrator access

resource "hub_irsa_binding" "bad" {
  cluster_name    = "hub-sandbox"
  namespace       = "default"
  service_account = "corpus-sa"
  custom_policy_json = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = ["s3:GetObject", "iam:*"], Resource = ["*"] }] })
}
