# a port name without a letter
# expect: ports["9090"] ~ at least one letter

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  ports     = { "9090" = { port = 9090 } }
}
