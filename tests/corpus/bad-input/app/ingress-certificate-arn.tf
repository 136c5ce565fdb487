# certificate ARN of the wrong service
# expect: ingress.certificate_arn ~ ACM certificate ARN

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  ingress   = { certificate_arn = "arn:aws:iam::123456789012:server-certificate/x" }
}
