# ConfigMap key with a space
# expect: config ~ key

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  config    = { "bad key" = "1" }
}
