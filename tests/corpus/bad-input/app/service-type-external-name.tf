# service type ExternalName
# expect: service.type ~ not allowed

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  service   = { type = "ExternalName" }
}
