# a label key with a space
# expect: node_affinity.required[0].match_expressions[0].key ~ label key

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  node_affinity = {
    required = [{ match_expressions = [{ key = "node type", operator = "Exists" }] }]
  }
}
