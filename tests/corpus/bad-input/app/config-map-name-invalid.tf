# a ConfigMap name with upper case and an underscore
# expect: config_map_name ~ DNS-1123

resource "hub_app" "bad" {
  name            = "corpus-app"
  namespace       = "default"
  image           = "nginx:1.27"
  config          = { LOG_LEVEL = "info" }
  config_map_name = "Flask_Config"
}
