# an object metric that names no object
# expect: autoscaling.metrics[0].described_object ~ needs described_object

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  autoscaling = {
    min_replicas = 1
    max_replicas = 4
    metrics = [
      { type = "object", name = "requests_per_second", value = "2k" },
    ]
  }
}
