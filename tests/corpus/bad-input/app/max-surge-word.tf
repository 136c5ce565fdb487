# max_surge is a word
# expect: max_surge ~ percentage

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  max_surge = "lots"
}
