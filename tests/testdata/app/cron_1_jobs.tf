# An app with a nightly report and an hourly sweep that run its own pod with their own command.
resource "hub_namespace" "ns" {
  name = "{{namespace}}"
}

resource "hub_app" "api" {
  name      = "api"
  namespace = hub_namespace.ns.name
  image     = "hub-workload:1.0"
  replicas  = 1
  env       = { MODE = "prod" }

  cron_jobs = {
    nightly = {
      schedule  = "{{nightly}}"
      time_zone = "Europe/Paris"
      command   = ["/hub-workload", "report"]
    }
    sweep = { schedule = "@hourly", args = ["--sweep"], concurrency_policy = "Replace" }
  }
}
