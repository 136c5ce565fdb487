# a metric name with a slash
# expect: autoscaling.metrics[0].name ~ metric name

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  autoscaling = {
    min_replicas = 1
    max_replicas = 4
    metrics = [
      { type = "external", name = "sqs/visible", value = "100" },
    ]
  }
}
