# scale-down policies with scaling down disabled
# expect: autoscaling.scale_down_select_policy ~ never apply

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  autoscaling = {
    min_replicas             = 2
    max_replicas             = 10
    cpu_percent              = 70
    scale_down_policies      = [{ type = "Percent", value = 10, period_seconds = 60 }]
    scale_down_select_policy = "Disabled"
  }
}
