# env_from_secret reads the Secret hub makes for the app
# expect: env_from_secret["COPY"].name ~ hub makes for this app

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  secret_env      = { API_KEY = "k" }
  env_from_secret = { COPY = { name = "corpus-app-secret", key = "API_KEY" } }
}
