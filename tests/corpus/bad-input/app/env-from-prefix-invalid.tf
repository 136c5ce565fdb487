# a prefix with '='
# expect: env_from[0].prefix ~ cannot start an environment variable name

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  env_from = [{ config_map = "flags", prefix = "A=" }]
}
