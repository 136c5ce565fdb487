terraform {
  required_version = ">= 1.5"
  required_providers {
    hub = { source = "hub/hub" }
  }
}

variable "kubeconfig" {
  description = "Path to a kubeconfig (the sandbox's, or your cluster's)."
  type        = string
}

provider "hub" {
  config_path = var.kubeconfig
}
