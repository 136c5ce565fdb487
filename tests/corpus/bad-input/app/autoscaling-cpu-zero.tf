# cpu_percent 0
# expect: autoscaling.cpu_percent ~ from 1 to 1000

resource "hub_app" "bad" {
  name        = "corpus-app"
  namespace   = "default"
  image       = "nginx:1.27"
  autoscaling = { min_replicas = 1, max_replicas = 4, cpu_percent = 0 }
}
