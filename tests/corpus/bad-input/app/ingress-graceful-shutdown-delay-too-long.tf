# a deregistration delay above the ALB's limit
# expect: ingress.graceful_shutdown.deregistration_delay_seconds ~ from 0 to 3600

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  ingress = {
    graceful_shutdown = { deregistration_delay_seconds = 4000 }
  }
}
