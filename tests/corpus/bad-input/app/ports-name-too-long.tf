# a port name longer than 15 characters
# expect: ports["prometheus-metrics"] ~ not a port name

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  ports     = { prometheus-metrics = { port = 9090 } }
}
