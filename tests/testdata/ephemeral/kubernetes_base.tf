# hub and the hashicorp/kubernetes provider, with hub's ephemeral EKS token for a cluster; the kubernetes
# provider block is in a second file (provider_token.tf or provider_exec.tf), the resources in a third.
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
  renew_after  = "{{renew_after}}"
}
