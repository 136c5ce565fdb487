# Secret key with '/'
# expect: secret_env ~ key

resource "hub_app" "bad" {
  name       = "corpus-app"
  namespace  = "default"
  image      = "nginx:1.27"
  secret_env = { "db/password" = "x" }
}
