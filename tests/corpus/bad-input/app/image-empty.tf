# image is empty
# expect: image ~ not an image reference

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = ""
}
