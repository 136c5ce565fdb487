# An autoscaled app (hub leaves spec.replicas to the HPA) with LOG_LEVEL debug.
resource "hub_namespace" "ns" {
  name = "{{namespace}}"
}

resource "hub_app" "api" {
  name        = "api"
  namespace   = hub_namespace.ns.name
  image       = "hub-workload:1.0"
  config      = { LOG_LEVEL = "debug" }
  autoscaling = { min_replicas = 2, max_replicas = 6, cpu_percent = 70 }
  rollout     = { timeout = "90s" }
}
