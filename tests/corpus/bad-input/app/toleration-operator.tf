# toleration operator 'Has'
# expect: tolerations[0].operator ~ not allowed

resource "hub_app" "bad" {
  name        = "corpus-app"
  namespace   = "default"
  image       = "nginx:1.27"
  tolerations = [{ key = "dedicated", operator = "Has", value = "x" }]
}
