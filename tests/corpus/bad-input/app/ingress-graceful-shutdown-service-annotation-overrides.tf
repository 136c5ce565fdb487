# Service target group attributes that would override the delay hub sets on the Ingress
# expect: service.annotations["alb.ingress.kubernetes.io/target-group-attributes"] ~ overrides

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  service = {
    annotations = { "alb.ingress.kubernetes.io/target-group-attributes" = "stickiness.enabled=true" }
  }
  ingress = {}
}
