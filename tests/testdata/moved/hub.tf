# The same app under one hub_app: the Deployment's state is moved (MoveResourceState; the test adds the
# `moved` block, whose source type varies), the other objects are dropped from state without being destroyed,
# and the first apply adopts them in place.
resource "hub_app" "api" {
  name      = "api"
  namespace = "{{namespace}}"
  image     = "hub-workload:0.9"
  replicas  = 2
  env       = { MODE = "moved" }
  env_from  = [{ config_map = "api-settings", optional = false }]
  resources = { cpu_request = "100m" }
  disruption_budget = {
    max_unavailable = "1"
  }
}

removed {
  from = kubernetes_service_v1.api
  lifecycle {
    destroy = false
  }
}

removed {
  from = kubernetes_service_account_v1.api
  lifecycle {
    destroy = false
  }
}

removed {
  from = kubernetes_pod_disruption_budget_v1.api
  lifecycle {
    destroy = false
  }
}
