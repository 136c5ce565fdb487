# What another workspace made: a namespace, an app, its network policy and an IRSA binding. The import tests
# bring these into a new workspace.
resource "hub_namespace" "ns" {
  name   = "{{namespace}}"
  labels = { team = "payments" }
}

resource "hub_app" "api" {
  name      = "api"
  namespace = hub_namespace.ns.name
  image     = "hub-workload:1.0"
  replicas  = 2
  port      = 8080
  config    = { LOG_LEVEL = "info" }
}

resource "hub_network_policy" "api" {
  name                      = "api"
  namespace                 = hub_namespace.ns.name
  pod_selector              = { app = "api" }
  allow_dns                 = true
  allow_egress_to_databases = [{ cidrs = ["10.0.20.0/24"], ports = [5432] }]
}

resource "hub_irsa_binding" "api" {
  cluster_name    = "hub-sandbox"
  namespace       = hub_namespace.ns.name
  service_account = "api"
  role_name       = "{{role}}"
  s3_buckets      = [{ bucket = "api-bucket", access = "read" }]
}
