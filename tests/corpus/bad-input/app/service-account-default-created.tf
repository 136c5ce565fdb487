# creating (and later deleting) the namespace's default ServiceAccount
# expect: service_account.name ~ default ServiceAccount

resource "hub_app" "bad" {
  name            = "corpus-app"
  namespace       = "default"
  image           = "nginx:1.27"
  service_account = { name = "default" }
}
