# a node spread Kubernetes cannot express
# expect: node_spread ~ not allowed

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  node_spread = "everywhere"
}
