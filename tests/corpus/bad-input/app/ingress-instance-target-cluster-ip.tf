# instance targets need a node port, the Service is ClusterIP
# expect: ingress.target_type ~ node port

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  ingress   = { hosts = ["api.example.com"], target_type = "instance" }
}
