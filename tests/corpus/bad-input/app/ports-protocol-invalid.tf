# a protocol Kubernetes does not know
# expect: ports["metrics"].protocol ~ not allowed

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  ports     = { metrics = { port = 9090, protocol = "HTTP" } }
}
