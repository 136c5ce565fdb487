# hub and the hashicorp/kubernetes provider (from the workspace's filesystem mirror), both on the sandbox's
# kubeconfig. Both are required before the move too, as when a team adds hub to an existing configuration.
terraform {
  required_providers {
    hub        = { source = "hub/hub" }
    kubernetes = { source = "{{kubernetes_source}}", version = "{{kubernetes_version}}" }
  }
}

provider "hub" {
  config_path = "{{kubeconfig}}"
}

provider "kubernetes" {
  config_path = "{{kubeconfig}}"
}
