# an init container image that is not an image reference
# expect: init_containers[0].image ~ not an image reference

resource "hub_app" "bad" {
  name            = "corpus-app"
  namespace       = "default"
  image           = "nginx:1.27"
  init_containers = [{ name = "wait", image = "busybox 1.36" }]
}
