# An app with a stored secret, made in another workspace.
resource "hub_namespace" "ns" {
  name = "{{namespace}}"
}

resource "hub_app" "api" {
  name       = "api"
  namespace  = hub_namespace.ns.name
  image      = "hub-workload:1.0"
  secret_env = { DB_PASSWORD = "hunter2" }
}
