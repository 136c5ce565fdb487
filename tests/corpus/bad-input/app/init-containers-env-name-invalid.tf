# an init container environment variable name with '='
# expect: init_containers[0].env ~ environment variable

resource "hub_app" "bad" {
  name            = "corpus-app"
  namespace       = "default"
  image           = "nginx:1.27"
  init_containers = [{ name = "wait", image = "busybox:1.36", env = { "A=B" = "1" } }]
}
