# port is not whole
# expect: port ~ whole number

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  port      = 80.5
}
