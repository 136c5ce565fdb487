# A real application, all in hub_app: an API behind an ALB that migrates its database before each rollout,
# reads its database password from a Secret an ExternalSecret makes, mounts AWS Secrets Manager through the
# Secrets Store CSI driver, exposes Prometheus metrics, ships its logs with a native sidecar, scales on an
# SQS queue's depth, and runs a nightly report.
#
# Made outside this configuration, as in most EKS platforms:
# - the Secret `orders-db` (key `password`), by an ExternalSecret of the External Secrets Operator;
# - the SecretProviderClass `orders-aws-secrets`, by the team that owns the secrets;
# - the external metric `sqs_messages_visible`, by an external metrics adapter (KEDA, or the AWS CloudWatch
#   adapter).

resource "hub_namespace" "orders" {
  name = var.namespace
  # The AWS Load Balancer Controller injects its readiness gate into the pods of this namespace, so a
  # rollout waits until the ALB sends traffic to each new pod.
  alb_pod_readiness_gate = true
}

resource "hub_app" "orders" {
  name      = "orders"
  namespace = hub_namespace.orders.name
  image     = "hub-workload:1.0"

  # Runs with the new image, the app's environment, Secrets and volumes before the Deployment changes; a
  # failure stops the apply and leaves the running version serving.
  migration = {
    command = ["/hub-workload", "migrate"]
    timeout = "5m"
  }

  env = {
    DATABASE_URL = "postgres://orders:$(DB_PASSWORD)@orders-db.internal:5432/orders"
  }
  env_from_secret = {
    DB_PASSWORD = { name = "orders-db", key = "password" }
  }

  ports = {
    metrics = { port = 9090, service = true }
  }
  pod_annotations = { "prometheus.io/port" = "9090" }

  volumes = {
    aws-secrets = { secrets_store = { secret_provider_class = "orders-aws-secrets" } }
    logs        = { empty_dir = { size_limit = "256Mi" } }
  }
  volume_mounts = [
    { volume = "aws-secrets", mount_path = "/mnt/secrets" },
    { volume = "logs", mount_path = "/var/log/orders" },
  ]

  init_containers = [{
    name          = "log-shipper"
    image         = "fluent/fluent-bit:3.1"
    sidecar       = true
    args          = ["-i", "tail", "-p", "path=/var/log/orders/*.log", "-o", "stdout"]
    volume_mounts = [{ volume = "logs", mount_path = "/var/log/orders", read_only = true }]
    resources     = { cpu_request = "20m", memory_request = "32Mi", memory_limit = "64Mi" }
  }]

  resources = {
    cpu_request    = "250m"
    memory_request = "256Mi"
    memory_limit   = "512Mi"
  }

  ingress = {
    hosts           = ["orders.example.com"]
    certificate_arn = "arn:aws:acm:eu-west-1:123456789012:certificate/orders"
  }

  autoscaling = {
    min_replicas = 2
    max_replicas = 10
    cpu_percent  = 70
    metrics = [{
      type          = "external"
      name          = "sqs_messages_visible"
      selector      = { queue = "orders" }
      average_value = "30"
    }]
  }
  disruption_budget = { max_unavailable = "1" }

  cron_jobs = {
    nightly-report = {
      schedule  = "0 3 * * *"
      time_zone = "Europe/Paris"
      command   = ["/hub-workload", "report"]
    }
  }

  rollout = { timeout = "3m" }
}
