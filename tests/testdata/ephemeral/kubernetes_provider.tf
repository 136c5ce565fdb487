# The hashicorp/kubernetes provider configured only from hub's ephemeral EKS token: endpoint, CA and bearer
# token, no kubeconfig, no exec plugin, no AWS CLI. The ConfigMap it makes proves the token works against
# the API server's EKS token webhook.
terraform {
  required_providers {
    hub        = { source = "hub/hub" }
    kubernetes = { source = "{{kubernetes_source}}", version = "{{kubernetes_version}}" }
  }
}

provider "hub" {
  cluster_name = "{{cluster}}"
  region       = "us-east-1"
}

ephemeral "hub_eks_token" "c" {
  cluster_name = "{{cluster}}"
}

provider "kubernetes" {
  host                   = ephemeral.hub_eks_token.c.endpoint
  cluster_ca_certificate = ephemeral.hub_eks_token.c.cluster_ca_certificate
  token                  = ephemeral.hub_eks_token.c.token
}

resource "kubernetes_config_map_v1" "cm" {
  metadata {
    name      = "{{name}}"
    namespace = "default"
  }
  data = {
    configured_by = "ephemeral.hub_eks_token"
  }
}
