# a Secret name ending with a dash
# expect: secret_name ~ DNS-1123

resource "hub_app" "bad" {
  name        = "corpus-app"
  namespace   = "default"
  image       = "nginx:1.27"
  secret_env  = { DB_PASSWORD = "x" }
  secret_name = "flask-secret-"
}
