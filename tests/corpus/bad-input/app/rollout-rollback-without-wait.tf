# rollback on failure without waiting for the rollout
# expect: rollout.on_failure ~ wait = true

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  rollout   = { wait = false, on_failure = "rollback" }
}
