# the same variable from a Secret key and a ConfigMap key
# expect: env_from_secret["MODE"] ~ both set

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  env_from_config_map = { MODE = { name = "flags", key = "mode" } }
  env_from_secret     = { MODE = { name = "db", key = "mode" } }
}
