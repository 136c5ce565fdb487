# a volume named like hub's own /tmp volume
# expect: volumes["tmp"] ~ hub mounts itself

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  volumes       = { tmp = { empty_dir = {} } }
  volume_mounts = [{ volume = "tmp", mount_path = "/scratch" }]
}
