# a pods metric without its average target
# expect: autoscaling.metrics[0].average_value ~ needs average_value

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  autoscaling = {
    min_replicas = 1
    max_replicas = 4
    metrics = [
      { type = "pods", name = "requests_per_second" },
    ]
  }
}
