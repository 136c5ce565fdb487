# a negative retry count
# expect: migration.backoff_limit ~ from 0 to 10

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  migration = { command = ["./manage", "migrate"], backoff_limit = -1 }
}
