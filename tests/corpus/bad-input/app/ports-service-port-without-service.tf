# a Service port number for a port not on the Service
# expect: ports["metrics"].service_port ~ not on the Service

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  ports     = { metrics = { port = 9090, service_port = 9091 } }
}
