# a port number above 65535
# expect: ports["metrics"].port ~ must be a whole number

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  ports     = { metrics = { port = 90900 } }
}
