# lifecycle_1_create.tf with an env var, so a changed env value can be drift.
resource "hub_namespace" "ns" {
  name = "{{namespace}}"
}

resource "hub_app" "api" {
  name            = "api"
  namespace       = hub_namespace.ns.name
  image           = "hub-workload:1.0"
  replicas        = 3
  config          = { LOG_LEVEL = "info" }
  secret_env      = { DB_PASSWORD = "hunter2" }
  env             = { FEATURE = "on" }
  force_conflicts = true
  rollout         = { timeout = "90s" }
}
