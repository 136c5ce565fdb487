# image has a space
# expect: image ~ not an image reference

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx latest"
}
