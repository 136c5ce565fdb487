# failure threshold 0
# expect: liveness.failure_threshold ~ from 1 to 1000

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  liveness  = { failure_threshold = 0 }
}
