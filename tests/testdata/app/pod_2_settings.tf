# Environment from a Secret and a ConfigMap hub does not own, named ports (one on the Service, one a
# probe targets, the Ingress on another), and scheduling: node affinity, one pod per node, a pull secret
# and a runtime class.
resource "hub_namespace" "ns" {
  name = "{{namespace}}"
}

resource "hub_app" "api" {
  name      = "api"
  namespace = hub_namespace.ns.name
  image     = "hub-workload:1.0"
  replicas  = 3

  env = { DATABASE_URL = "postgres://api:$(DB_PASSWORD)@db:5432/api" }
  env_from_secret = {
    DB_PASSWORD = { name = "db", key = "password" }
  }
  env_from_config_map = {
    FEATURES = { name = "flags", key = "features", optional = true }
  }
  env_from = [{ secret = "shared" }, { config_map = "flags", prefix = "FLAG_" }]

  ports = {
    metrics = { port = 9090, service = true }
    admin   = { port = 9091 }
    web     = { port = 8443, service = true, service_port = 443 }
  }
  liveness = { port_name = "admin" }
  ingress  = { port_name = "web" }

  max_surge          = "0"
  max_unavailable    = "1"
  node_spread        = "one_per_node"
  image_pull_secrets = ["registry"]
  runtime_class_name = "{{runtime_class}}"
  node_affinity = {
    required = [{ match_expressions = [{ key = "kubernetes.io/arch", operator = "In", values = ["amd64"] }] }]
    preferred = [{
      weight            = 50
      match_expressions = [{ key = "eks.amazonaws.com/capacityType", operator = "In", values = ["ON_DEMAND"] }]
    }]
  }
  rollout = { timeout = "90s" }
}
