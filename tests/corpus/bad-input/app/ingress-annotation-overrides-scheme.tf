# an ingress annotation that would flip the typed scheme to internet-facing
# expect: ingress.annotations["alb.ingress.kubernetes.io/scheme"] ~ ingress.scheme

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  ingress = {
    scheme      = "internal"
    annotations = { "alb.ingress.kubernetes.io/scheme" = "internet-facing" }
  }
}
