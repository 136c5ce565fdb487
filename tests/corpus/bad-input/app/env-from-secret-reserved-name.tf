# env_from_secret sets hub's HUB_SECRET_KEYS
# expect: env_from_secret["HUB_SECRET_KEYS"] ~ set by hub

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  env_from_secret = { HUB_SECRET_KEYS = { name = "db", key = "keys" } }
}
