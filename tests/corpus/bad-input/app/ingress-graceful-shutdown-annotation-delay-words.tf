# a deregistration delay in the annotation that is not a number
# expect: ingress.annotations["alb.ingress.kubernetes.io/target-group-attributes"] ~ whole number

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  ingress = {
    annotations = { "alb.ingress.kubernetes.io/target-group-attributes" = "deregistration_delay.timeout_seconds=soon" }
  }
}
