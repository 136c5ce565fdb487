# a Role granting every verb without allow_wildcards
# expect: rbac.rules[0].verbs ~ allow_wildcards

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  rbac = {
    rules = [{ api_groups = [""], resources = ["secrets"], verbs = ["*"] }]
  }
}
