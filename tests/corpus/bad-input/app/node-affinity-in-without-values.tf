# operator In without values
# expect: node_affinity.required[0].match_expressions[0].values ~ at least one value

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  node_affinity = {
    required = [{ match_expressions = [{ key = "kubernetes.io/arch", operator = "In" }] }]
  }
}
