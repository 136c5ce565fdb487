# a node port outside 30000-32767
# expect: service.node_port ~ from 30000 to 32767

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  service   = { type = "NodePort", node_port = 8080 }
}
