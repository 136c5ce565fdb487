# a sleep set while graceful shutdown is off
# expect: ingress.graceful_shutdown.pre_stop_sleep_seconds ~ no effect

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  ingress = {
    graceful_shutdown = { enabled = false, pre_stop_sleep_seconds = 20 }
  }
}
