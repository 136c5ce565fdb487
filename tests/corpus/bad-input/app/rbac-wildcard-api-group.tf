# a Role over every API group without allow_wildcards
# expect: rbac.rules[0].api_groups ~ allow_wildcards

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  rbac = {
    rules = [{ api_groups = ["*"], resources = ["configmaps"], verbs = ["get"] }]
  }
}
