# a cluster name with a slash
# expect: cluster_name ~ only letters, digits

resource "hub_irsa_binding" "bad" {
  cluster_name    = "team/prod"
  namespace       = "default"
  service_account = "corpus-sa"
}
