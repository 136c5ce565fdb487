# a Secrets Store CSI volume without its SecretProviderClass
# expect: secret_provider_class ~ required

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  volumes       = { data = { secrets_store = {} } }
  volume_mounts = [{ volume = "data", mount_path = "/data" }]
}
