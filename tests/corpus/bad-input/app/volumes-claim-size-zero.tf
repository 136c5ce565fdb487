# a claim of zero bytes
# expect: volumes["data"].claim.size ~ needs some storage

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  volumes       = { data = { claim = { size = "0" } } }
  volume_mounts = [{ volume = "data", mount_path = "/data" }]
}
