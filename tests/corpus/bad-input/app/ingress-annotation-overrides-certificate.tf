# an ingress annotation that sets the certificate hub sets from certificate_arn
# expect: ingress.annotations["alb.ingress.kubernetes.io/certificate-arn"] ~ ingress.certificate_arn

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  ingress = {
    annotations = { "alb.ingress.kubernetes.io/certificate-arn" = "arn:aws:acm:us-east-1:123456789012:certificate/x" }
  }
}
