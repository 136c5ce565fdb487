# operator Exists with values
# expect: node_affinity.preferred[0].match_expressions[0].values ~ takes no values

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  node_affinity = {
    preferred = [{ weight = 10, match_expressions = [{ key = "spot", operator = "Exists", values = ["true"] }] }]
  }
}
