# name has 64 characters
# expect: name ~ at most 63

resource "hub_app" "bad" {
  name      = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
  namespace = "default"
  image     = "nginx:1.27"
}
