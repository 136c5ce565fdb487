# service annotation key
# expect: service.annotations ~ key

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  service   = { annotations = { "a b" = "x" } }
}
