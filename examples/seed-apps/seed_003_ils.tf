# Seed 003: the ILS service on port 5000, HPA 3-10, PDB min 1, a Role to read its namespace's ConfigMaps and
# Secrets, and its NetworkPolicy.

resource "hub_namespace" "ils" {
  name = "ils"
}

resource "hub_app" "ils" {
  name              = "ils"
  namespace         = hub_namespace.ils.name
  image             = "hub-workload:1.0.0"
  port              = 5000
  autoscaling       = { min_replicas = 3, max_replicas = 10, cpu_percent = 70, memory_percent = 80, scale_down_stabilization_seconds = 300 }
  disruption_budget = { min_available = "1" }
  # The service reads the ConfigMaps and Secrets of its namespace through the Kubernetes API.
  rbac = {
    rules = [{ api_groups = [""], resources = ["configmaps", "secrets"], verbs = ["get", "list", "watch"] }]
  }
  security = { automount_service_account_token = true }
}

resource "hub_network_policy" "ils" {
  name                              = "ils"
  namespace                         = hub_namespace.ils.name
  pod_selector                      = hub_app.ils.selector
  allow_ingress_from_same_namespace = { ports = [5000] }
  allow_dns                         = true
  allow_https_egress                = { except = ["169.254.169.254/32"] }
  allow_egress_to_databases         = [{ cidrs = ["10.0.20.0/24"], ports = [5432, 6379] }]
}
