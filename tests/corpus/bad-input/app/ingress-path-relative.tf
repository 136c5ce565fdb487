# ingress path without '/'
# expect: ingress.path ~ start with '/'

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  ingress   = { path = "api" }
}
