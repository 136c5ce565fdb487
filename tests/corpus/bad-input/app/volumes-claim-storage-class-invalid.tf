# a StorageClass name with upper-case letters
# expect: volumes["data"].claim.storage_class ~ not a valid StorageClass name

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  volumes       = { data = { claim = { size = "1Gi", storage_class = "GP3" } } }
  volume_mounts = [{ volume = "data", mount_path = "/data" }]
}
