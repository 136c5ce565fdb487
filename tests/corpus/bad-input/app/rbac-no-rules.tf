# a Role without rules
# expect: rbac.rules ~ grant nothing

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  rbac      = { rules = [] }
}
