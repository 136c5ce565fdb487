# a mount at a relative path
# expect: volume_mounts[0].mount_path ~ absolute

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  volumes       = { data = { empty_dir = {} } }
  volume_mounts = [{ volume = "data", mount_path = "data" }]
}
