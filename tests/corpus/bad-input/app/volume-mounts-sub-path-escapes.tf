# a sub path that climbs out of the volume
# expect: volume_mounts[0].sub_path ~ must not contain

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  volumes       = { data = { empty_dir = {} } }
  volume_mounts = [{ volume = "data", mount_path = "/data", sub_path = "../etc" }]
}
