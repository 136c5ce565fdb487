# autoscaling without a metric
# expect: autoscaling ~ cpu_percent

resource "hub_app" "bad" {
  name        = "corpus-app"
  namespace   = "default"
  image       = "nginx:1.27"
  autoscaling = { min_replicas = 2, max_replicas = 4 }
}
