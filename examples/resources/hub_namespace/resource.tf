# The production namespace of seed 001: Pod Security `restricted` (the default), a quota, default container
# requests and limits, a default-deny NetworkPolicy that still lets pods resolve DNS, and the AWS Load
# Balancer Controller's pod readiness gate.
resource "hub_namespace" "prod" {
  name = "my-app-prod"
  labels = {
    "team"        = "my-app"
    "environment" = "prod"
  }

  pod_security = {
    enforce = "restricted"
    audit   = "restricted"
    warn    = "restricted"
    version = "latest"
  }

  resource_quota = {
    requests_cpu    = "20"
    requests_memory = "40Gi"
    limits_memory   = "80Gi"
    pods            = 100
    load_balancers  = 0
  }

  limit_range = {
    default_request_cpu    = "100m"
    default_request_memory = "128Mi"
    default_limit_memory   = "512Mi"
    max_memory             = "4Gi"
  }

  default_deny   = true
  delete_timeout = "10m"

  # New pods behind the ALB (target type `ip`) count as ready only once the load balancer sees them healthy.
  alb_pod_readiness_gate = true
}
