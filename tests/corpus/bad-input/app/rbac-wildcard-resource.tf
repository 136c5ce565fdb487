# a Role granting every resource without allow_wildcards
# expect: rbac.rules[0].resources ~ allow_wildcards

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  rbac = {
    rules = [{ api_groups = [""], resources = ["*"], verbs = ["get"] }]
  }
}
