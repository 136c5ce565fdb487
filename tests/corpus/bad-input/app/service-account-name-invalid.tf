# service account name with a space
# expect: service_account.name ~ not a valid

resource "hub_app" "bad" {
  name            = "corpus-app"
  namespace       = "default"
  image           = "nginx:1.27"
  service_account = { name = "My SA" }
}
