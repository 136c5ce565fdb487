# a volume with no source
# expect: volumes["data"] ~ exactly one of

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  volumes       = { data = {} }
  volume_mounts = [{ volume = "data", mount_path = "/data" }]
}
