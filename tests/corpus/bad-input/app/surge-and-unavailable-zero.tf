# rollout can never progress
# expect: max_unavailable ~ cannot both be 0

resource "hub_app" "bad" {
  name            = "corpus-app"
  namespace       = "default"
  image           = "nginx:1.27"
  max_surge       = "0"
  max_unavailable = "0%"
}
