# a migration that may not run at all
# expect: migration.timeout ~ longer than zero

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  migration = { command = ["./manage", "migrate"], timeout = "0s" }
}
