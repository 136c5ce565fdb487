# a volume with two sources
# expect: volumes["data"] ~ exactly one of

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  volumes       = { data = { empty_dir = {}, secret = { name = "db" } } }
  volume_mounts = [{ volume = "data", mount_path = "/data" }]
}
