# negative CPU limit
# expect: resources.cpu_limit ~ negative

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  resources = { cpu_limit = "-1" }
}
