# a port on a Service that is turned off
# expect: ports["metrics"].service ~ service.enabled = false

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  ports     = { metrics = { port = 9090, service = true } }
  service   = { enabled = false }
}
