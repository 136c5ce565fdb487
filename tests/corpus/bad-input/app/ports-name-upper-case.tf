# a port name with upper-case letters
# expect: ports["Metrics"] ~ not a port name

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  ports     = { Metrics = { port = 9090 } }
}
