# a variable name with '='
# expect: env_from_secret["A=B"] ~ not an environment variable name

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  env_from_secret = { "A=B" = { name = "db", key = "password" } }
}
