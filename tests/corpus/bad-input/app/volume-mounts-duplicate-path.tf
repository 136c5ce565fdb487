# two mounts at one path
# expect: volume_mounts[1].mount_path ~ already mounted

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  volumes       = { data = { empty_dir = {} }, logs = { empty_dir = {} } }
  volume_mounts = [{ volume = "data", mount_path = "/data" }, { volume = "logs", mount_path = "/data/" }]
}
