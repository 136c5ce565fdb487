# toleration key with a space
# expect: tolerations[0].key ~ key

resource "hub_app" "bad" {
  name        = "corpus-app"
  namespace   = "default"
  image       = "nginx:1.27"
  tolerations = [{ key = "bad key", operator = "Exists" }]
}
