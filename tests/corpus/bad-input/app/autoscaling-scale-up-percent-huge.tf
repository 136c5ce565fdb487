# a scale-up policy of 5000 % per period
# expect: autoscaling.scale_up_policies[0].value ~ above 1000

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  autoscaling = {
    min_replicas      = 2
    max_replicas      = 10
    cpu_percent       = 70
    scale_up_policies = [{ type = "Percent", value = 5000, period_seconds = 60 }]
  }
}
