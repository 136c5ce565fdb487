# a cluster name with a space
# expect: cluster_names ~ only letters, digits

resource "hub_irsa_binding" "bad" {
  mechanism       = "pod_identity"
  cluster_names   = ["prod cluster"]
  namespace       = "default"
  service_account = "corpus-sa"
}
