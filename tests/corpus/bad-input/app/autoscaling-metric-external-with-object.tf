# an external metric that names an object
# expect: autoscaling.metrics[0].described_object ~ only for

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  autoscaling = {
    min_replicas = 1
    max_replicas = 4
    metrics = [
      {
        type             = "external"
        name             = "sqs_messages_visible"
        value            = "100"
        described_object = { api_version = "v1", kind = "Service", name = "api" }
      },
    ]
  }
}
