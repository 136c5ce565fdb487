# a scaling policy of 0 pods per period
# expect: autoscaling.scale_up_policies[0].value ~ from 1 to

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  autoscaling = {
    min_replicas      = 2
    max_replicas      = 10
    cpu_percent       = 70
    scale_up_policies = [{ type = "Pods", value = 0, period_seconds = 60 }]
  }
}
