# a mount over hub's /tmp
# expect: volume_mounts[0].mount_path ~ already mounted

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  volumes       = { data = { empty_dir = {} } }
  volume_mounts = [{ volume = "data", mount_path = "/tmp" }]
}
