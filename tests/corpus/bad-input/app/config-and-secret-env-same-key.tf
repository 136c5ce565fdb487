# config and secret_env set the same variable
# expect: config ~ both set

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  config     = { API_KEY = "plain" }
  secret_env = { API_KEY = "corpus-api-key-value" }
}
