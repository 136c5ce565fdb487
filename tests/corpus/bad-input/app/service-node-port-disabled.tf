# a node port with the Service disabled
# expect: service.node_port ~ enabled = false

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  service   = { enabled = false, type = "NodePort", node_port = 30080 }
}
