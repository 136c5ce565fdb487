# write-only secrets without a version
# expect: secret_env_wo_version ~ secret_env_wo_version

resource "hub_app" "bad" {
  name          = "corpus-app"
  namespace     = "default"
  image         = "nginx:1.27"
  secret_env_wo = { TOKEN = "x" }
}
