# name is empty
# expect: name ~ must not be empty

resource "hub_app" "bad" {
  name      = ""
  namespace = "default"
  image     = "nginx:1.27"
}
