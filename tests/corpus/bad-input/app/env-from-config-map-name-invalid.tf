# a ConfigMap name with an underscore
# expect: env_from[0].config_map ~ not a valid ConfigMap name

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  env_from = [{ config_map = "team_flags" }]
}
