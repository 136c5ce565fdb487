# HTTPS redirect without a certificate would be dropped
# expect: ingress.ssl_redirect ~ certificate_arn

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  ingress   = { hosts = ["api.example.com"], ssl_redirect = true }
}
