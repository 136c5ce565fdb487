# max_replicas missing
# expect: max_replicas ~ required

resource "hub_app" "bad" {
  name        = "corpus-app"
  namespace   = "default"
  image       = "nginx:1.27"
  autoscaling = { min_replicas = 1, cpu_percent = 50 }
}
