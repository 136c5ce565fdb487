# env and secret_env set the same variable
# expect: secret_env ~ both set

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  env        = { DB_PASSWORD = "plain" }
  secret_env = { DB_PASSWORD = "corpus-db-password" }
}
