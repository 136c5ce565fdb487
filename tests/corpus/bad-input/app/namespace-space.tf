# namespace has a space
# expect: namespace ~ DNS-1123

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "team a"
  image     = "nginx:1.27"
}
