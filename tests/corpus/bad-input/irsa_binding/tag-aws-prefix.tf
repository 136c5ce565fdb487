# tag key with the reserved aws: prefix
# expect: tags ~ aws:

resource "hub_irsa_binding" "bad" {
  cluster_name    = "hub-sandbox"
  namespace       = "default"
  service_account = "corpus-sa"
  tags            = { "aws:team" = "x" }
}
