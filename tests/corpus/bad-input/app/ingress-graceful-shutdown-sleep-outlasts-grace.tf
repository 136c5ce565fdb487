# a preStop sleep longer than the grace period
# expect: termination_grace_period_seconds ~ pre_stop_sleep_seconds

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  termination_grace_period_seconds = 60
  ingress = {
    graceful_shutdown = { pre_stop_sleep_seconds = 90 }
  }
}
