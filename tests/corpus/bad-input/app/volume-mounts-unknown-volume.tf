# a mount of a volume that is not declared
# expect: volume_mounts[0].volume ~ not a key of

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  volume_mounts = [{ volume = "data", mount_path = "/data" }]
}
