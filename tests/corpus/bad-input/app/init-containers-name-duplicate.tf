# two init containers with the same name
# expect: init_containers[1].name ~ already the name of

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  init_containers = [
    { name = "wait", image = "busybox:1.36" },
    { name = "wait", image = "busybox:1.36", sidecar = true },
  ]
}
