# an init container CPU request that is not a quantity
# expect: init_containers[0].resources.cpu_request ~ quantity

resource "hub_app" "bad" {
  name            = "corpus-app"
  namespace       = "default"
  image           = "nginx:1.27"
  init_containers = [{ name = "wait", image = "busybox:1.36", resources = { cpu_request = "lots" } }]
}
