# a pods metric with a target value (pods metrics take an average)
# expect: autoscaling.metrics[0].value ~ average_value instead

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  autoscaling = {
    min_replicas = 1
    max_replicas = 4
    metrics = [
      { type = "pods", name = "requests_per_second", value = "10" },
    ]
  }
}
