# a grace period the default preStop sleep (40 s) outlasts
# expect: termination_grace_period_seconds ~ does not outlast

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  termination_grace_period_seconds = 30
  ingress                          = {}
}
