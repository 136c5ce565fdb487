terraform {
  required_providers {
    hub = {
      source  = "{{source}}"
      version = "~> 0.1"
    }
  }
}

provider "hub" {
  config_path = "{{kubeconfig}}"
}

resource "hub_namespace" "ns" {
  name = "{{name}}"
}
