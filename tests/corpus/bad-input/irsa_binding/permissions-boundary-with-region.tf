# boundary ARN with a region (IAM is global)
# expect: permissions_boundary ~ region

resource "hub_irsa_binding" "bad" {
  cluster_name         = "hub-sandbox"
  namespace            = "default"
  service_account      = "corpus-sa"
  permissions_boundary = "arn:aws:iam:us-east-1:123456789012:policy/my-app-irsa-boundary"
}
