# port is a word
# expect: port ~ number is required

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  port      = "http"
}
