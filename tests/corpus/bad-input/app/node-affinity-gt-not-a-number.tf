# operator Gt with a word
# expect: node_affinity.required[0].match_expressions[0].values ~ whole number

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  node_affinity = {
    required = [{ match_expressions = [{ key = "cpus", operator = "Gt", values = ["four"] }] }]
  }
}
