# Map entries known only after apply (from another resource): the plan keeps the known ones.
resource "terraform_data" "owner" {
  input = "platform"
}

resource "hub_namespace" "ns" {
  name = "{{namespace}}"
}

resource "hub_app" "api" {
  name      = "api"
  namespace = hub_namespace.ns.name
  image     = "hub-workload:1.0"
  replicas  = 1
  env       = { MODE = "prod", OWNER = terraform_data.owner.output }
  labels    = { team = "payments", owner = terraform_data.owner.output }
  rollout   = { timeout = "90s" }
}
