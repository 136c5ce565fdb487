# a deregistration delay in the annotation above the ALB's limit
# expect: ingress.annotations["alb.ingress.kubernetes.io/target-group-attributes"] ~ 0 to 3600

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  ingress = {
    annotations = { "alb.ingress.kubernetes.io/target-group-attributes" = "deregistration_delay.timeout_seconds=7200" }
  }
}
