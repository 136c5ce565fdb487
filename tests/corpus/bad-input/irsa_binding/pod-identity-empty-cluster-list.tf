# Pod Identity with an empty cluster list
# expect: cluster_names ~ name the EKS clusters

resource "hub_irsa_binding" "bad" {
  mechanism       = "pod_identity"
  cluster_names   = []
  namespace       = "default"
  service_account = "corpus-sa"
}
