# an env_from entry naming a Secret and a ConfigMap
# expect: env_from[0] ~ exactly one of

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  env_from = [{ secret = "db", config_map = "flags" }]
}
