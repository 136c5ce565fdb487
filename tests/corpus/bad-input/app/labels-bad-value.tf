# label value with a space
# expect: labels ~ label value

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  labels    = { team = "has space" }
}
