# service port 0
# expect: service.port ~ from 1 to 65535

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  service   = { port = 0 }
}
