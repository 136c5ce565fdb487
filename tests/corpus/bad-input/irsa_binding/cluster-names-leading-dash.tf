# a cluster name starting with a dash
# expect: cluster_names ~ start with a letter or digit

resource "hub_irsa_binding" "bad" {
  mechanism       = "pod_identity"
  cluster_names   = ["hub-sandbox", "-prod"]
  namespace       = "default"
  service_account = "corpus-sa"
}
