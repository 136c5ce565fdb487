# an init container mount whose sub_path leaves the volume
# expect: init_containers[0].volume_mounts[0].sub_path ~ '..'

resource "hub_app" "bad" {
  name            = "corpus-app"
  namespace       = "default"
  image           = "nginx:1.27"
  init_containers = [{ name = "fill", image = "busybox:1.36", volume_mounts = [{ volume = "tmp", mount_path = "/work", sub_path = "../etc" }] }]
}
