# An app taking its role from a binding. The binding must trust the app's own service account ("api")
# for the plan to pass; a test names another to see the plan refused, another switches the mechanism.
resource "hub_namespace" "ns" {
  name = "{{namespace}}"
}

resource "hub_irsa_binding" "api" {
  cluster_name    = "hub-sandbox"
  mechanism       = "{{mechanism}}"
  namespace       = hub_namespace.ns.name
  service_account = "{{service_account}}"
  role_name       = "{{role}}"
  s3_buckets      = [{ bucket = "my-app-bucket" }]
}

resource "hub_app" "api" {
  name            = "api"
  namespace       = hub_namespace.ns.name
  image           = "hub-workload:1.0"
  replicas        = 2
  service_account = { irsa = hub_irsa_binding.api }
  rollout         = { timeout = "90s" }
}
