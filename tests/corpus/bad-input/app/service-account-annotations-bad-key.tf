# service account annotation key
# expect: service_account.annotations ~ key

resource "hub_app" "bad" {
  name            = "corpus-app"
  namespace       = "default"
  image           = "nginx:1.27"
  service_account = { annotations = { "eks.amazonaws.com/" = "x" } }
}
