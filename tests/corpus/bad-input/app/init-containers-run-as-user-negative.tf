# an init container user ID below zero
# expect: init_containers[0].security.run_as_user ~ whole number from 0

resource "hub_app" "bad" {
  name            = "corpus-app"
  namespace       = "default"
  image           = "nginx:1.27"
  init_containers = [{ name = "wait", image = "busybox:1.36", security = { run_as_user = -1 } }]
}
