# env_from_secret reads a variable env already sets
# expect: env_from_secret["DB_PASSWORD"] ~ both set

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  env             = { DB_PASSWORD = "plain" }
  env_from_secret = { DB_PASSWORD = { name = "db", key = "password" } }
}
