# the migration's CPU request is words
# expect: migration.resources.cpu_request ~ quantity

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  migration = { command = ["./manage", "migrate"], resources = { cpu_request = "lots" } }
}
