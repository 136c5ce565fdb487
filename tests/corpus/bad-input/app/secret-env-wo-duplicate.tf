# same key stored and write-only
# expect: secret_env_wo ~ both

resource "hub_app" "bad" {
  name                  = "corpus-app"
  namespace             = "default"
  image                 = "nginx:1.27"
  secret_env            = { TOKEN = "a" }
  secret_env_wo         = { TOKEN = "b" }
  secret_env_wo_version = 1
}
