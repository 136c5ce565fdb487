# the migration timeout is words
# expect: migration.timeout ~ not a duration

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  migration = { command = ["./manage", "migrate"], timeout = "a while" }
}
