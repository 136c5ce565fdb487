# a file mode above 0777
# expect: volumes["data"].secret.default_mode ~ not a file mode

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  volumes       = { data = { secret = { name = "db", default_mode = "1777" } } }
  volume_mounts = [{ volume = "data", mount_path = "/data" }]
}
