# an init container mount of a volume that is not declared
# expect: init_containers[0].volume_mounts[0].volume ~ not a key of

resource "hub_app" "bad" {
  name            = "corpus-app"
  namespace       = "default"
  image           = "nginx:1.27"
  init_containers = [{ name = "fill", image = "busybox:1.36", volume_mounts = [{ volume = "data", mount_path = "/data" }] }]
}
