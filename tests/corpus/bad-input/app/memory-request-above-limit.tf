# request above limit
# expect: resources.memory_request ~ above

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  resources = { memory_request = "1Gi", memory_limit = "512Mi" }
}
