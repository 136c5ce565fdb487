# operator Exists with a value
# expect: tolerations[0].value ~ Exists

resource "hub_app" "bad" {
  name        = "corpus-app"
  namespace   = "default"
  image       = "nginx:1.27"
  tolerations = [{ key = "dedicated", operator = "Exists", value = "x" }]
}
