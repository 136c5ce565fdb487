# a scaling policy period above the API's 1800 s
# expect: autoscaling.scale_down_policies[0].period_seconds ~ from 1 to 1800

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  autoscaling = {
    min_replicas        = 2
    max_replicas        = 10
    cpu_percent         = 70
    scale_down_policies = [{ type = "Pods", value = 1, period_seconds = 3600 }]
  }
}
