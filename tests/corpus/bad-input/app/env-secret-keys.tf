# HUB_SECRET_KEYS set by hand would hide which variables are secret from the app
# expect: env["HUB_SECRET_KEYS"] ~ secret_env

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  env       = { HUB_SECRET_KEYS = "NONE" }
}
