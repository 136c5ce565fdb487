# a ConfigMap key with a slash
# expect: env_from_config_map["MODE"].key ~ not a ConfigMap key

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  env_from_config_map = { MODE = { name = "flags", key = "modes/current" } }
}
