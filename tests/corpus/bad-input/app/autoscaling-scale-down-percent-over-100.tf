# a scale-down policy removing 150 % of the pods per period
# expect: autoscaling.scale_down_policies[0].value ~ above 100

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  autoscaling = {
    min_replicas        = 2
    max_replicas        = 10
    cpu_percent         = 70
    scale_down_policies = [{ type = "Percent", value = 150, period_seconds = 60 }]
  }
}
