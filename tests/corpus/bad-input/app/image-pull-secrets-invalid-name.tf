# a pull secret name with upper-case letters
# expect: image_pull_secrets[0] ~ not a valid Secret name

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  image_pull_secrets = ["Registry"]
}
