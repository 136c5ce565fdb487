# The same app without its scheduled work.
resource "hub_namespace" "ns" {
  name = "{{namespace}}"
}

resource "hub_app" "api" {
  name      = "api"
  namespace = hub_namespace.ns.name
  image     = "hub-workload:1.0"
  replicas  = 1
  env       = { MODE = "prod" }
  rollout   = { timeout = "90s" }
}
