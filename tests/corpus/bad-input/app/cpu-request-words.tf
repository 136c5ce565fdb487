# cpu_request is words
# expect: resources.cpu_request ~ quantity

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  resources = { cpu_request = "1 core" }
}
