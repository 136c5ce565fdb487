# an exec probe naming a port
# expect: startup.port_name ~ uses no port

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  startup   = { exec = ["true"], port_name = "http" }
}
