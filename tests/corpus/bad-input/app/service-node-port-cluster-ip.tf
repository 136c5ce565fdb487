# a fixed node port on the default ClusterIP Service
# expect: service.node_port ~ ClusterIP

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  service   = { node_port = 30080 }
}
