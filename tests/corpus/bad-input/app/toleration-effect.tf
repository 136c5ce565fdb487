# toleration effect 'Evict'
# expect: tolerations[0].effect ~ not allowed

resource "hub_app" "bad" {
  name        = "corpus-app"
  namespace   = "default"
  image       = "nginx:1.27"
  tolerations = [{ key = "dedicated", value = "x", effect = "Evict" }]
}
