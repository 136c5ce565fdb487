# the annotation that names the hub_app instance owning an object
# expect: annotations["hub.io/instance"] ~ reserved

resource "hub_app" "bad" {
  name        = "corpus-app"
  namespace   = "default"
  image       = "nginx:1.27"
  annotations = { "hub.io/instance" = "0123" }
}
