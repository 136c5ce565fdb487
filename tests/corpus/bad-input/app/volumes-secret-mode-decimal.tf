# a file mode written in decimal digits that are not octal
# expect: volumes["data"].secret.default_mode ~ octal

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  volumes       = { data = { secret = { name = "db", default_mode = "0889" } } }
  volume_mounts = [{ volume = "data", mount_path = "/data" }]
}
