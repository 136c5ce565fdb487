# required node affinity with no term
# expect: node_affinity.required ~ unschedulable

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  node_affinity = {
    required  = []
    preferred = [{ weight = 10, match_expressions = [{ key = "spot", operator = "Exists" }] }]
  }
}
