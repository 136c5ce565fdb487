# the same pull secret twice
# expect: image_pull_secrets[1] ~ listed twice

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  image_pull_secrets = ["registry", "registry"]
}
