# an init container memory limit below the default memory request
# expect: init_containers[0].resources.memory_request ~ above

resource "hub_app" "bad" {
  name            = "corpus-app"
  namespace       = "default"
  image           = "nginx:1.27"
  init_containers = [{ name = "wait", image = "busybox:1.36", resources = { memory_limit = "64Mi" } }]
}
