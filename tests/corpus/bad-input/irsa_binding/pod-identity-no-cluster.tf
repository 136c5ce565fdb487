# Pod Identity without any cluster
# expect: cluster_names ~ name the EKS clusters

resource "hub_irsa_binding" "bad" {
  mechanism       = "pod_identity"
  namespace       = "default"
  service_account = "corpus-sa"
}
