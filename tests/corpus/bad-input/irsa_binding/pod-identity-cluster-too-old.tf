# Pod Identity on a cluster running Kubernetes 1.23 (Pod Identity needs 1.24 or later)
# expect: cluster_names ~ needs 1.24 or later

resource "hub_irsa_binding" "bad" {
  mechanism       = "pod_identity"
  cluster_names   = ["hub-sandbox", "hub-sandbox-legacy"]
  namespace       = "default"
  service_account = "corpus-sa"
}
