# a metric type the HPA does not have here (cpu and memory have their own attributes)
# expect: autoscaling.metrics[0].type ~ not allowed

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  autoscaling = {
    min_replicas = 1
    max_replicas = 4
    metrics = [
      { type = "resource", name = "cpu", average_value = "500m" },
    ]
  }
}
