# an Ingress targeting a port that is not on the Service
# expect: ingress.port_name ~ routes to a Service port

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  ports     = { admin = { port = 9000 } }
  ingress   = { port_name = "admin" }
}
