# a mount at config_mount_path
# expect: volume_mounts[0].mount_path ~ already mounted

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  config            = { LOG_LEVEL = "info" }
  config_mount_path = "/etc/app"
  volumes           = { data = { empty_dir = {} } }
  volume_mounts     = [{ volume = "data", mount_path = "/etc/app" }]
}
