# name is not a DNS-1123 label
# expect: name ~ DNS-1123

resource "hub_app" "bad" {
  name      = "My_App"
  namespace = "default"
  image     = "nginx:1.27"
}
