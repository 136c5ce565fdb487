# ingress target type 'pod'
# expect: ingress.target_type ~ not allowed

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  ingress   = { target_type = "pod" }
}
