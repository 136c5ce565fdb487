# an operator Kubernetes does not know
# expect: node_affinity.required[0].match_expressions[0].operator ~ not allowed

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  node_affinity = {
    required = [{ match_expressions = [{ key = "zone", operator = "Equals", values = ["a"] }] }]
  }
}
