# write-only version -1
# expect: secret_env_wo_version ~ whole number

resource "hub_app" "bad" {
  name                  = "corpus-app"
  namespace             = "default"
  image                 = "nginx:1.27"
  secret_env_wo_version = -1
}
