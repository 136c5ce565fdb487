# label key with a space
# expect: labels ~ key

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  labels    = { "bad key" = "x" }
}
