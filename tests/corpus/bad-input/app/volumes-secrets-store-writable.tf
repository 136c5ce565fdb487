# a Secrets Store CSI volume mounted read-write
# expect: volumes["data"].secrets_store.read_only ~ read-only

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  volumes       = { data = { secrets_store = { secret_provider_class = "api", read_only = false } } }
  volume_mounts = [{ volume = "data", mount_path = "/data" }]
}
