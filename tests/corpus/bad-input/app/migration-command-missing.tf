# a migration without a command
# expect: command ~ required

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  migration = { args = ["migrate"] }
}
