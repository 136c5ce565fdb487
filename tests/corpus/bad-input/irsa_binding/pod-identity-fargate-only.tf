# Pod Identity on a cluster whose pods all run on Fargate, where the agent DaemonSet cannot run
# expect: pod_identity_agent_check ~ Fargate does not run

resource "hub_irsa_binding" "bad" {
  mechanism                = "pod_identity"
  cluster_name             = "hub-sandbox-fargate"
  namespace                = "default"
  service_account          = "corpus-sa"
  pod_identity_agent_check = "error"
}
