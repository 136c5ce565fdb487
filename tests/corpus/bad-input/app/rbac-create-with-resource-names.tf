# create restricted by resource_names
# expect: rbac.rules[0].resource_names ~ carries no object name

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  rbac = {
    rules = [{ api_groups = [""], resources = ["configmaps"], verbs = ["create"], resource_names = ["leader"] }]
  }
}
