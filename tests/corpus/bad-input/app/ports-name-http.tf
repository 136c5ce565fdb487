# a named port called http, which is the app's own port
# expect: ports["http"] ~ app's own port

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  ports     = { http = { port = 9090 } }
}
