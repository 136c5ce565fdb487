# memory_limit uses GB
# expect: resources.memory_limit ~ unknown unit

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  resources = { memory_limit = "1GB" }
}
