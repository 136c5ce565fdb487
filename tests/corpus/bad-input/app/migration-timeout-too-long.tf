# a migration timeout beyond a day
# expect: migration.timeout ~ longer than 24h

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  migration = { command = ["./manage", "migrate"], timeout = "48h" }
}
