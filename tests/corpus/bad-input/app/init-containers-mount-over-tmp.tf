# an init container mount at /tmp, which hub mounts in every container
# expect: init_containers[0].volume_mounts[0].mount_path ~ already mounted

resource "hub_app" "bad" {
  name            = "corpus-app"
  namespace       = "default"
  image           = "nginx:1.27"
  volumes         = { cache = { empty_dir = {} } }
  volume_mounts   = [{ volume = "cache", mount_path = "/cache" }]
  init_containers = [{ name = "fill", image = "busybox:1.36", volume_mounts = [{ volume = "cache", mount_path = "/tmp" }] }]
}
