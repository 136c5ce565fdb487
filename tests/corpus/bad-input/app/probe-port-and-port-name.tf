# a probe with both a port number and a port name
# expect: readiness.port_name ~ choose one of port and port_name

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  readiness = { port = 8080, port_name = "http" }
}
