# the same ingress host twice
# expect: ingress.hosts[1] ~ listed twice

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  ingress   = { hosts = ["api.example.com", "api.example.com"] }
}
