# boundary given by policy name instead of ARN
# expect: permissions_boundary ~ IAM managed policy ARN

resource "hub_irsa_binding" "bad" {
  cluster_name         = "hub-sandbox"
  namespace            = "default"
  service_account      = "corpus-sa"
  permissions_boundary = "my-app-irsa-boundary"
}
