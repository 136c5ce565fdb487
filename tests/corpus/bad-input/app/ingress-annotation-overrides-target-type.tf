# an ingress annotation that overrides the typed target type
# expect: ingress.annotations["alb.ingress.kubernetes.io/target-type"] ~ ingress.target_type

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  ingress = {
    annotations = { "alb.ingress.kubernetes.io/target-type" = "instance" }
  }
}
