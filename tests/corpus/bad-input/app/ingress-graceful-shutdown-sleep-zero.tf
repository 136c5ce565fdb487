# a preStop sleep of zero seconds
# expect: ingress.graceful_shutdown.pre_stop_sleep_seconds ~ from 1 to 3600

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  ingress = {
    graceful_shutdown = { pre_stop_sleep_seconds = 0 }
  }
}
