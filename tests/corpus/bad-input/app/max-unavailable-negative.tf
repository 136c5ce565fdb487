# max_unavailable -1
# expect: max_unavailable ~ percentage

resource "hub_app" "bad" {
  name            = "corpus-app"
  namespace       = "default"
  image           = "nginx:1.27"
  max_unavailable = "-1"
}
