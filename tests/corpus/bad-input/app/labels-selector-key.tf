# a label that hub sets as the pods' selector
# expect: labels["app.kubernetes.io/name"] ~ set by hub

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  labels    = { "app.kubernetes.io/name" = "other" }
}
