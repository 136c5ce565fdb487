# Pod Identity on a cluster that does not exist
# expect: cluster_names ~ could not describe EKS cluster

resource "hub_irsa_binding" "bad" {
  mechanism       = "pod_identity"
  cluster_names   = ["hub-sandbox", "no-such-cluster-corpus"]
  namespace       = "default"
  service_account = "corpus-sa"
}
