# Issue 20 items 5 and 9: an app behind an ALB with graceful shutdown on by default (the plan shows the
# defaults), in a namespace labelled for the controller's pod readiness gate, autoscaled on an external
# metric (an SQS queue's depth through an adapter), a pods metric and an object metric.
resource "hub_namespace" "ns" {
  name                   = "{{namespace}}"
  alb_pod_readiness_gate = true
}

resource "hub_app" "api" {
  name      = "api"
  namespace = hub_namespace.ns.name
  image     = "hub-workload:1.0"

  ingress = {
    hosts       = ["api.example.com"]
    annotations = { "alb.ingress.kubernetes.io/target-group-attributes" = "stickiness.enabled=true" }
  }
  autoscaling = {
    min_replicas = 2
    max_replicas = 6
    cpu_percent  = 70
    metrics = [
      { type = "external", name = "sqs_messages_visible", selector = { queue = "orders" }, average_value = "30" },
      { type = "pods", name = "requests_per_second", average_value = "500m" },
      {
        type             = "object"
        name             = "requests_per_second"
        value            = "2k"
        described_object = { api_version = "networking.k8s.io/v1", kind = "Ingress", name = "api" }
      },
    ]
  }
}
