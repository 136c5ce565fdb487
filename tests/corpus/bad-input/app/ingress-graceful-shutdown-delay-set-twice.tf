# the deregistration delay in the attribute and, differently, in the annotation
# expect: ingress.annotations["alb.ingress.kubernetes.io/target-group-attributes"] ~ set twice

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  ingress = {
    annotations       = { "alb.ingress.kubernetes.io/target-group-attributes" = "deregistration_delay.timeout_seconds=60" }
    graceful_shutdown = { deregistration_delay_seconds = 20 }
  }
}
