# Seed 001's API in production: autoscaled 3-20 on CPU and memory, at least 2 pods during disruptions,
# spread over zones, behind an internet-facing ALB with an ACM certificate and HTTP-to-HTTPS redirect,
# and an IAM role for its service account from hub_irsa_binding.
variable "database_url" {
  description = "PostgreSQL connection string of the API."
  type        = string
  sensitive   = true
}

resource "hub_app" "api" {
  name      = "api"
  namespace = "my-app-prod"
  image     = "123456789012.dkr.ecr.us-west-2.amazonaws.com/my-app/api:1.4.2"
  port      = 8080

  config = {
    APP_ENV   = "production"
    LOG_LEVEL = "info"
    S3_BUCKET = "my-app-bucket"
  }
  secret_env = {
    DATABASE_URL = var.database_url
  }

  resources = {
    cpu_request    = "250m"
    memory_request = "256Mi"
    cpu_limit      = "1"
    memory_limit   = "512Mi"
  }

  liveness  = { http_path = "/health" }
  readiness = { http_path = "/ready" }

  autoscaling = {
    min_replicas   = 3
    max_replicas   = 20
    cpu_percent    = 70
    memory_percent = 80
    # Shed at most 10 % of the pods per minute, add at most 50 % per minute.
    scale_down_policies = [{ type = "Percent", value = 10, period_seconds = 60 }]
    scale_up_policies   = [{ type = "Percent", value = 50, period_seconds = 60 }]
  }
  disruption_budget = { min_available = "2" }
  zone_spread       = "anti_affinity"

  ingress = {
    hosts             = ["api.example.com"]
    certificate_arn   = "arn:aws:acm:us-west-2:123456789012:certificate/00000000-0000-0000-0000-000000000000"
    ssl_redirect      = true
    health_check_path = "/health"
    group_name        = "my-app-prod"
  }

  # The pods' IAM role: the binding's ARN becomes the service account's `eks.amazonaws.com/role-arn`
  # annotation, and the pods roll when it changes.
  service_account = {
    name = "my-app-serviceaccount"
    irsa = hub_irsa_binding.api
  }
  # IRSA needs the projected service account token in the pod.
  security = { automount_service_account_token = true }

  rollout = {
    timeout    = "10m"
    on_failure = "rollback"
  }
}

resource "hub_irsa_binding" "api" {
  cluster_name    = "my-app-prod"
  namespace       = "my-app-prod"
  service_account = "my-app-serviceaccount"
  role_name       = "my-app-eks-pod-role"
  s3_buckets      = [{ bucket = "my-app-bucket", access = "read-write" }]
  secrets_manager = { name_prefixes = ["/my-app/"] }
}

# A background worker: no Service, no Ingress.
resource "hub_app" "worker" {
  name      = "worker"
  namespace = "my-app-prod"
  image     = "123456789012.dkr.ecr.us-west-2.amazonaws.com/my-app/api:1.4.2"
  args      = ["--role", "worker"]
  service   = { enabled = false }

  autoscaling       = { min_replicas = 3, max_replicas = 20, cpu_percent = 70, memory_percent = 80 }
  disruption_budget = { min_available = "2" }
}
