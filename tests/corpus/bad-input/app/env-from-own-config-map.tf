# env_from reads the ConfigMap hub makes for the app
# expect: env_from[0].config_map ~ hub makes for this app

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  config   = { LOG_LEVEL = "info" }
  env_from = [{ config_map = "corpus-app-config" }]
}
