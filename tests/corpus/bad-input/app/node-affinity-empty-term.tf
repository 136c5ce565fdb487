# a required term without expressions
# expect: node_affinity.required[0].match_expressions ~ matches no node

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  node_affinity = { required = [{ match_expressions = [] }] }
}
