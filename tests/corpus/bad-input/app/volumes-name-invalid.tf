# a volume name with an underscore
# expect: volumes["my_data"] ~ not a volume name

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  volumes       = { my_data = { empty_dir = {} } }
  volume_mounts = [{ volume = "my_data", mount_path = "/data" }]
}
