# on_failure 'retry'
# expect: rollout.on_failure ~ not allowed

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  rollout   = { on_failure = "retry" }
}
