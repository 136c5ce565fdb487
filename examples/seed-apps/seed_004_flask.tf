# Seed 004: the Flask service reached through a LoadBalancer Service, checked on / and /configs.

resource "hub_namespace" "flask" {
  name = "flask"
}

resource "hub_app" "flask" {
  name      = "flask"
  namespace = hub_namespace.flask.name
  image     = "hub-workload:1.0.0-prod"
  port      = 5000
  replicas  = 2
  config    = { GREETING = "hello" }
  # The deploy script and its checks look the Service up by this name.
  service = { name = "mytomorrows-flask-service", type = "LoadBalancer", port = 80 }
}
