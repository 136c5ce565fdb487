# priority class name with upper case and space
# expect: priority_class_name ~ DNS-1123

resource "hub_app" "bad" {
  name                = "corpus-app"
  namespace           = "default"
  image               = "nginx:1.27"
  priority_class_name = "High Priority"
}
