# an external metric without a target
# expect: autoscaling.metrics[0].value ~ needs value

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  autoscaling = {
    min_replicas = 1
    max_replicas = 4
    metrics = [
      { type = "external", name = "sqs_messages_visible" },
    ]
  }
}
