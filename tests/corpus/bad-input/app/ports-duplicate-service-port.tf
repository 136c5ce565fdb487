# a named port on the Service's http port number
# expect: ports["metrics"].service_port ~ also used by

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  ports     = { metrics = { port = 9090, service = true, service_port = 80 } }
}
