# an agent check mode that does not exist
# expect: pod_identity_agent_check ~ warn

resource "hub_irsa_binding" "bad" {
  mechanism                = "pod_identity"
  cluster_name             = "hub-sandbox"
  namespace                = "default"
  service_account          = "corpus-sa"
  pod_identity_agent_check = "strict"
}
