# node selector key with a space
# expect: node_selector ~ key

resource "hub_app" "bad" {
  name          = "corpus-app"
  namespace     = "default"
  image         = "nginx:1.27"
  node_selector = { "bad key" = "x" }
}
