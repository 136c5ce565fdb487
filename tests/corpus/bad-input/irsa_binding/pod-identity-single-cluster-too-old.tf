# Pod Identity through cluster_name on a cluster running Kubernetes 1.23
# expect: cluster_name ~ runs Kubernetes 1.23

resource "hub_irsa_binding" "bad" {
  mechanism                = "pod_identity"
  cluster_name             = "hub-sandbox-legacy"
  namespace                = "default"
  service_account          = "corpus-sa"
  pod_identity_agent_check = "off"
}
