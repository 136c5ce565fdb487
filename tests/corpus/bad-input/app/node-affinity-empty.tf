# node affinity with no term
# expect: node_affinity ~ sets no term

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  node_affinity = {}
}
