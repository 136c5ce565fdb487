# replicas = 0 next to autoscaling (scale to zero is not what happens)
# expect: replicas ~ is ignored

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  replicas    = 0
  autoscaling = { min_replicas = 1, max_replicas = 3, memory_percent = 80 }
}
