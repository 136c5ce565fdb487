# a preStop kind hub does not know
# expect: ingress.graceful_shutdown.pre_stop ~ not allowed

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  ingress = {
    graceful_shutdown = { pre_stop = "http" }
  }
}
