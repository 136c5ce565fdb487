# a Secret name that is not a DNS-1123 subdomain
# expect: env_from_secret["DB_PASSWORD"].name ~ not a valid Secret name

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  env_from_secret = { DB_PASSWORD = { name = "DB_Secret", key = "password" } }
}
