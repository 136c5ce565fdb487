# a ReadWriteOncePod claim for three replicas
# expect: volumes["data"].claim.access_mode ~ one pod

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  replicas      = 3
  volumes       = { data = { claim = { size = "1Gi", access_mode = "ReadWriteOncePod" } } }
  volume_mounts = [{ volume = "data", mount_path = "/data" }]
}
