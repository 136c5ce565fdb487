# a probe on a UDP port
# expect: liveness.port_name ~ need TCP

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  ports     = { dns = { port = 5353, protocol = "UDP" } }
  liveness  = { port_name = "dns" }
}
