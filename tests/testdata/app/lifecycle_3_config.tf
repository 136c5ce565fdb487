# lifecycle_2_image.tf with a new config value: the pods roll again.
resource "hub_namespace" "ns" {
  name = "{{namespace}}"
}

resource "hub_app" "api" {
  name            = "api"
  namespace       = hub_namespace.ns.name
  image           = "hub-workload:1.1"
  replicas        = 3
  config          = { LOG_LEVEL = "debug" }
  secret_env      = { DB_PASSWORD = "hunter2" }
  force_conflicts = true
  rollout         = { timeout = "90s" }
}
