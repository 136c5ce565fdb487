# ingress scheme 'public'
# expect: ingress.scheme ~ not allowed

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  ingress   = { scheme = "public" }
}
