# labels is a list
# expect: labels ~ map of string required

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  labels    = ["team"]
}
