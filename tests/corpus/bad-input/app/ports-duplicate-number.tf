# a named port on the app's own port number
# expect: ports["metrics"].port ~ also the port of

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  ports     = { metrics = { port = 8080 } }
}
