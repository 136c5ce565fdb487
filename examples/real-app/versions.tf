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

variable "namespace" {
  description = "Namespace of the app."
  type        = string
  default     = "orders"
}

provider "hub" {
  config_path = var.kubeconfig
}
