# a quantity exponent that overflowed when negated
# expect: resources.memory_limit ~ exponent

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  resources = { memory_limit = "1e-9223372036854775808" }
}
