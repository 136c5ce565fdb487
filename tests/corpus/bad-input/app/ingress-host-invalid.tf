# ingress host with '!' 
# expect: ingress.hosts[0] ~ host

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  ingress   = { hosts = ["shop!.example.com"] }
}
