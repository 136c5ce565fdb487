# an empty migration command
# expect: migration.command ~ empty

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  migration = { command = [] }
}
