# a probe naming a port that does not exist
# expect: liveness.port_name ~ names no port

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  liveness  = { port_name = "admin" }
}
