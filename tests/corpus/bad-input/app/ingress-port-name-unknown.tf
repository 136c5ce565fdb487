# an Ingress targeting a port that does not exist
# expect: ingress.port_name ~ names no port

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  ingress   = { port_name = "admin" }
}
