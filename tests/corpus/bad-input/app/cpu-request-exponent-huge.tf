# a quantity exponent far beyond what a quantity can hold
# expect: resources.cpu_request ~ exponent

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  resources = { cpu_request = "1e400" }
}
