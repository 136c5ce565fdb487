# env and secret_env_wo set the same variable
# expect: secret_env_wo ~ both set

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  env                   = { API_TOKEN = "plain" }
  secret_env_wo         = { API_TOKEN = "corpus-api-token" }
  secret_env_wo_version = 1
}
