# env and config set the same variable
# expect: config ~ both set

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  env       = { LOG_LEVEL = "debug" }
  config    = { LOG_LEVEL = "info" }
}
