# a secret key reference without its key
# expect: key ~ required

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  env_from_secret = { DB_PASSWORD = { name = "db" } }
}
