# a preferred term with weight 0
# expect: node_affinity.preferred[0].weight ~ must be a whole number

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  node_affinity = {
    preferred = [{ weight = 0, match_expressions = [{ key = "zone", operator = "Exists" }] }]
  }
}
