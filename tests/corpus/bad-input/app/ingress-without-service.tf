# ingress with the service disabled
# expect: ingress ~ service

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  service   = { enabled = false }
  ingress   = {}
}
