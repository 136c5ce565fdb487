# a select policy that is not Max, Min or Disabled
# expect: autoscaling.scale_down_select_policy ~ not allowed

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  autoscaling = {
    min_replicas             = 2
    max_replicas             = 10
    cpu_percent              = 70
    scale_down_select_policy = "Fastest"
  }
}
