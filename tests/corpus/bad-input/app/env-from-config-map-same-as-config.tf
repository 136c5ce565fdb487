# env_from_config_map reads a variable config already sets
# expect: env_from_config_map["LOG_LEVEL"] ~ both set

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  config              = { LOG_LEVEL = "info" }
  env_from_config_map = { LOG_LEVEL = { name = "flags", key = "log" } }
}
