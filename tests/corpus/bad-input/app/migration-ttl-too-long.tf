# finished Jobs kept for a month
# expect: migration.ttl_seconds_after_finished ~ from 0 to 604800

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  migration = { command = ["./manage", "migrate"], ttl_seconds_after_finished = 2592000 }
}
