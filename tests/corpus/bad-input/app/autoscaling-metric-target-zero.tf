# a target of zero
# expect: autoscaling.metrics[0].average_value ~ above zero

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  autoscaling = {
    min_replicas = 1
    max_replicas = 4
    metrics = [
      { type = "external", name = "sqs_messages_visible", average_value = "0" },
    ]
  }
}
