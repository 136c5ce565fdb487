# hub's instance annotation set by hand on the Ingress
# expect: ingress.annotations["hub.io/instance"] ~ reserved

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  ingress = {
    annotations = { "hub.io/instance" = "0123" }
  }
}
