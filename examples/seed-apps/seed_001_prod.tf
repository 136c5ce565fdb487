# Seed 001, prod environment: four apps (API, admin, worker, monitoring) replacing the umbrella Helm chart.

resource "hub_namespace" "prod" {
  name           = "my-app-prod"
  default_deny   = true
  resource_quota = { requests_cpu = "20", requests_memory = "40Gi", pods = 100, load_balancers = 0 }
  limit_range    = { default_request_cpu = "100m", default_request_memory = "128Mi", default_limit_memory = "512Mi" }
}

locals {
  common = {
    image_tag   = "1.0.0"
    certificate = "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000"
    role_arn    = "arn:aws:iam::123456789012:role/my-app-prod"
  }
}

resource "hub_app" "api" {
  name      = "api"
  namespace = hub_namespace.prod.name
  image     = "hub-workload:${local.common.image_tag}"
  port      = 8080
  config    = { APP_ENV = "production", LOG_LEVEL = "info" }
  resources = { cpu_request = "250m", memory_request = "256Mi", cpu_limit = "1", memory_limit = "512Mi" }

  autoscaling = {
    min_replicas   = 3
    max_replicas   = 20
    cpu_percent    = 70
    memory_percent = 80
    # The chart's HPA behavior: shed at most 10 % of the pods per minute, add at most 50 % per minute.
    scale_down_policies = [{ type = "Percent", value = 10, period_seconds = 60 }]
    scale_up_policies   = [{ type = "Percent", value = 50, period_seconds = 60 }]
  }
  disruption_budget = { min_available = "2" }
  zone_spread       = "anti_affinity"

  ingress = {
    hosts           = ["api.example.com"]
    certificate_arn = local.common.certificate
    group_name      = "my-app-prod"
  }
  service_account = { annotations = { "eks.amazonaws.com/role-arn" = local.common.role_arn } }
  security        = { automount_service_account_token = true }
}

resource "hub_app" "admin" {
  name              = "admin"
  namespace         = hub_namespace.prod.name
  image             = "hub-workload:${local.common.image_tag}"
  autoscaling       = { min_replicas = 2, max_replicas = 5, cpu_percent = 70 }
  disruption_budget = { min_available = "1" }
  ingress = {
    hosts           = ["admin.example.com"]
    scheme          = "internal"
    certificate_arn = local.common.certificate
    group_name      = "my-app-prod"
  }
}

resource "hub_app" "worker" {
  name              = "worker"
  namespace         = hub_namespace.prod.name
  image             = "hub-workload:${local.common.image_tag}"
  args              = ["--role", "worker"]
  service           = { enabled = false }
  autoscaling       = { min_replicas = 3, max_replicas = 20, cpu_percent = 70, memory_percent = 80 }
  disruption_budget = { min_available = "2" }
}

resource "hub_app" "monitoring" {
  name      = "monitoring"
  namespace = hub_namespace.prod.name
  image     = "hub-workload:${local.common.image_tag}"
  port      = 9090
  replicas  = 1
  readiness = { http_path = "/ready" }
}
