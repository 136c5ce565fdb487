# rollout timeout in words
# expect: rollout.timeout ~ duration

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  rollout   = { timeout = "5 minutes" }
}
