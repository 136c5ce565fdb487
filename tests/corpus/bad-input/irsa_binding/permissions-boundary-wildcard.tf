# boundary ARN with a wildcard
# expect: permissions_boundary ~ cannot contain '*'

resource "hub_irsa_binding" "bad" {
  cluster_name         = "hub-sandbox"
  namespace            = "default"
  service_account      = "corpus-sa"
  permissions_boundary = "arn:aws:iam::123456789012:policy/my-app-*"
}
