# a Secret name with upper-case letters
# expect: volumes["data"].secret.name ~ not a valid Secret name

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  volumes       = { data = { secret = { name = "DB" } } }
  volume_mounts = [{ volume = "data", mount_path = "/data" }]
}
