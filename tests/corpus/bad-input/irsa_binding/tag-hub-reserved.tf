# tag key from hub's reserved hub: namespace (it marks the roles hub made)
# expect: tags["hub:binding"] ~ reserved

resource "hub_irsa_binding" "bad" {
  cluster_name    = "hub-sandbox"
  namespace       = "default"
  service_account = "corpus-sa"
  tags            = { "hub:binding" = "default/corpus-sa" }
}
