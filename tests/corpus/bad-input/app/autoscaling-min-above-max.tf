# min_replicas above max_replicas
# expect: autoscaling.min_replicas ~ above max_replicas

resource "hub_app" "bad" {
  name        = "corpus-app"
  namespace   = "default"
  image       = "nginx:1.27"
  autoscaling = { min_replicas = 5, max_replicas = 2, cpu_percent = 70 }
}
