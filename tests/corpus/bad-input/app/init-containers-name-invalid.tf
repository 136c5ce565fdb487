# an init container name that is not a DNS label
# expect: init_containers[0].name ~ DNS-1123 label

resource "hub_app" "bad" {
  name            = "corpus-app"
  namespace       = "default"
  image           = "nginx:1.27"
  init_containers = [{ name = "Wait_DB", image = "busybox:1.36" }]
}
