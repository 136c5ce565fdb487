# alb_1_create.tf with graceful shutdown tuned (a longer delay, an exec sleep, a set grace period) and the
# pods metric dropped.
resource "hub_namespace" "ns" {
  name                   = "{{namespace}}"
  alb_pod_readiness_gate = true
}

resource "hub_app" "api" {
  name      = "api"
  namespace = hub_namespace.ns.name
  image     = "hub-workload:1.0"

  termination_grace_period_seconds = 120
  ingress = {
    hosts             = ["api.example.com"]
    annotations       = { "alb.ingress.kubernetes.io/target-group-attributes" = "stickiness.enabled=true" }
    graceful_shutdown = { deregistration_delay_seconds = 60, pre_stop = "exec" }
  }
  autoscaling = {
    min_replicas = 2
    max_replicas = 6
    cpu_percent  = 70
    metrics = [
      { type = "external", name = "sqs_messages_visible", selector = { queue = "orders" }, average_value = "30" },
      {
        type             = "object"
        name             = "requests_per_second"
        value            = "2k"
        described_object = { api_version = "networking.k8s.io/v1", kind = "Ingress", name = "api" }
      },
    ]
  }
}
