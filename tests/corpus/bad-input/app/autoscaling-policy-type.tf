# a scaling policy type that is neither Pods nor Percent
# expect: autoscaling.scale_up_policies[0].type ~ not allowed

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  autoscaling = {
    min_replicas      = 2
    max_replicas      = 10
    cpu_percent       = 70
    scale_up_policies = [{ type = "Replicas", value = 2, period_seconds = 60 }]
  }
}
