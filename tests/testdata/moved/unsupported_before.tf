# A ConfigMap made by the kubernetes provider, for a `moved` block that hub_app refuses.
terraform {
  required_providers {
    kubernetes = { source = "{{kubernetes_source}}", version = "{{kubernetes_version}}" }
  }
}

provider "kubernetes" {
  config_path = "{{kubeconfig}}"
}

resource "kubernetes_config_map_v1" "api" {
  metadata {
    name      = "settings"
    namespace = "{{namespace}}"
  }
  data = {
    GREETING = "hello"
  }
}
