# the same Secret read twice with the same prefix
# expect: env_from[1] ~ second time

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  env_from = [{ secret = "db" }, { secret = "db" }]
}
