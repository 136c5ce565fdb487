# an init container named after the app (its container's name)
# expect: init_containers[0].name ~ app's own container

resource "hub_app" "bad" {
  name            = "corpus-app"
  namespace       = "default"
  image           = "nginx:1.27"
  init_containers = [{ name = "corpus-app", image = "busybox:1.36" }]
}
