# image is required
# expect: image ~ required

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
}
