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
    # On by default with an ingress: pods keep serving until the ALB has drained them (by default a 30 s
    # delay, a 40 s preStop sleep, a 70 s grace period). Longer requests need a longer delay; the sleep and
    # the grace period follow it (here 70 s and 100 s).
    graceful_shutdown = { deregistration_delay_seconds = 60 }
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

  # Database migrations run as a Job with the new image (and the app's env, Secret and service account)
  # before the Deployment changes; a failing one stops the apply and the running version keeps serving.
  migration = {
    command = ["./api", "migrate"]
    timeout = "5m"
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

# A background worker: no Service, no Ingress. It scales on its SQS queue's depth (30 messages per pod,
# through an external metrics adapter such as KEDA's or the CloudWatch adapter) as well as on CPU.
resource "hub_app" "worker" {
  name      = "worker"
  namespace = "my-app-prod"
  image     = "123456789012.dkr.ecr.us-west-2.amazonaws.com/my-app/api:1.4.2"
  args      = ["--role", "worker"]
  service   = { enabled = false }

  autoscaling = {
    min_replicas = 3
    max_replicas = 20
    cpu_percent  = 70
    metrics = [
      { type = "external", name = "sqs_messages_visible", selector = { queue = "my-app-jobs" }, average_value = "30" },
    ]
  }
  disruption_budget = { min_available = "2" }
}

# A reporting service that reads what other tools own: the database password from a Secret an
# ExternalSecret makes (hub never holds the value), flags from another team's ConfigMap, certificates and
# Secrets Manager entries as files, and a volume of its own that outlives the app. It waits for its database
# in an init container and ships its logs from a sidecar. It exposes a metrics port on its Service, pulls
# from a private registry and runs on arm64 nodes, spread over them.
resource "hub_app" "reports" {
  name      = "reports"
  namespace = "my-app-prod"
  image     = "registry.example.com/my-app/reports:2.0.1"

  env = { DATABASE_URL = "postgres://reports:$(DB_PASSWORD)@db.internal:5432/reports" }
  env_from_secret = {
    DB_PASSWORD = { name = "reports-db", key = "password" }
  }
  env_from_config_map = {
    FEATURE_FLAGS = { name = "flags", key = "reports", optional = true }
  }
  env_from = [{ config_map = "shared-tuning", prefix = "TUNE_" }]

  ports     = { metrics = { port = 9090, service = true } }
  liveness  = { http_path = "/health", port_name = "http" }
  readiness = { http_path = "/ready" }

  volumes = {
    certs   = { secret = { name = "reports-tls", items = { "tls.crt" = "tls.crt", "tls.key" = "tls.key" }, default_mode = "0440" } }
    secrets = { secrets_store = { secret_provider_class = "reports-aws-secrets" } }
    cache   = { empty_dir = { size_limit = "512Mi" } }
    logs    = { empty_dir = { size_limit = "256Mi" } }
    # A PersistentVolumeClaim `reports-data` that hub creates; kept (and released) on destroy.
    data = { claim = { size = "20Gi", storage_class = "gp3" } }
  }
  volume_mounts = [
    { volume = "certs", mount_path = "/etc/tls", read_only = true },
    { volume = "secrets", mount_path = "/mnt/secrets" },
    { volume = "cache", mount_path = "/var/cache/reports" },
    { volume = "data", mount_path = "/var/lib/reports" },
    { volume = "logs", mount_path = "/var/log/reports" },
  ]
  # Before the app starts, in order: wait for the database. Beside it, from start to end: a native
  # sidecar (Kubernetes 1.29 or later) that ships the logs the app writes.
  init_containers = [
    { name = "wait-db", image = "busybox:1.36", command = ["sh", "-c", "until nc -z db.internal 5432; do sleep 2; done"] },
    {
      name          = "ship-logs"
      image         = "fluent/fluent-bit:3.0"
      sidecar       = true
      resources     = { cpu_request = "20m", memory_request = "32Mi", memory_limit = "64Mi" }
      volume_mounts = [{ volume = "logs", mount_path = "/var/log/reports", read_only = true }]
    },
  ]
  # A ReadWriteOnce claim attaches to one node: one pod, replaced rather than surged.
  replicas        = 1
  max_surge       = "0"
  max_unavailable = "1"

  image_pull_secrets = ["registry-example-com"]
  node_spread        = "anti_affinity"
  node_affinity = {
    required = [{ match_expressions = [{ key = "kubernetes.io/arch", operator = "In", values = ["arm64"] }] }]
    preferred = [{
      weight            = 50
      match_expressions = [{ key = "karpenter.sh/capacity-type", operator = "In", values = ["on-demand"] }]
    }]
  }
}
