# the migration's program is an empty string
# expect: migration.command[0] ~ names the program

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  migration = { command = ["", "migrate"] }
}
