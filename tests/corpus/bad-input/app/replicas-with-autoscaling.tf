# replicas is ignored while autoscaling is set
# expect: replicas ~ autoscaling

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  replicas    = 3
  autoscaling = { min_replicas = 2, max_replicas = 6, cpu_percent = 70 }
}
