# an init container mount at a relative path
# expect: init_containers[0].volume_mounts[0].mount_path ~ absolute path

resource "hub_app" "bad" {
  name            = "corpus-app"
  namespace       = "default"
  image           = "nginx:1.27"
  init_containers = [{ name = "fill", image = "busybox:1.36", volume_mounts = [{ volume = "tmp", mount_path = "work" }] }]
}
