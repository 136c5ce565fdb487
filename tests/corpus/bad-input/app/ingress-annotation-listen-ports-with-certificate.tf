# listen ports overridden while a certificate makes hub set HTTP and HTTPS listeners
# expect: ingress.annotations["alb.ingress.kubernetes.io/listen-ports"] ~ certificate_arn

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  ingress = {
    certificate_arn = "arn:aws:acm:us-east-1:123456789012:certificate/abc"
    annotations     = { "alb.ingress.kubernetes.io/listen-ports" = "[{\"HTTP\": 80}]" }
  }
}
