# The kubernetes provider configured only from hub's ephemeral EKS token (no kubeconfig, no AWS CLI) makes a
# ConfigMap: proof the token works against the API server's EKS token webhook.
resource "kubernetes_config_map_v1" "cm" {
  metadata {
    name      = "{{name}}"
    namespace = "default"
  }
  data = {
    configured_by = "ephemeral.hub_eks_token"
  }
}
