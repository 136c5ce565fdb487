# health check path without '/'
# expect: ingress.health_check_path ~ start with '/'

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  ingress   = { health_check_path = "healthz" }
}
