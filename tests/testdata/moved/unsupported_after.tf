# hub_app takes a move only from a Deployment of the kubernetes provider: this one is refused at plan.
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

resource "hub_app" "api" {
  name      = "settings"
  namespace = "{{namespace}}"
  image     = "hub-workload:0.9"
}

moved {
  from = kubernetes_config_map_v1.api
  to   = hub_app.api
}
