# an access mode Kubernetes does not know
# expect: volumes["data"].claim.access_mode ~ not allowed

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  volumes       = { data = { claim = { size = "1Gi", access_mode = "ReadWriteSome" } } }
  volume_mounts = [{ volume = "data", mount_path = "/data" }]
}
