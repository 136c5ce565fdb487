# hub's reserved tag key in other letter case (IAM tag keys ignore case)
# expect: tags["HUB:Managed-By"] ~ reserved

resource "hub_irsa_binding" "bad" {
  cluster_name    = "hub-sandbox"
  namespace       = "default"
  service_account = "corpus-sa"
  tags            = { "HUB:Managed-By" = "me" }
}
