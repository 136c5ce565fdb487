# an emptyDir medium Kubernetes does not know
# expect: volumes["data"].empty_dir.medium ~ not allowed

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  volumes       = { data = { empty_dir = { medium = "Disk" } } }
  volume_mounts = [{ volume = "data", mount_path = "/data" }]
}
