# min_replicas 0
# expect: autoscaling.min_replicas ~ from 1 to 10000

resource "hub_app" "bad" {
  name        = "corpus-app"
  namespace   = "default"
  image       = "nginx:1.27"
  autoscaling = { min_replicas = 0, max_replicas = 4, cpu_percent = 70 }
}
