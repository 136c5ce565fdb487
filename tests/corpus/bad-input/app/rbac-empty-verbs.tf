# a rule without verbs
# expect: rbac.rules[0].verbs ~ matches no request

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  rbac = {
    rules = [{ api_groups = [""], resources = ["configmaps"], verbs = [] }]
  }
}
