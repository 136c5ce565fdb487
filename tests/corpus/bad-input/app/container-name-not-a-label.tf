# a container's name is a DNS label
# expect: container_name ~ DNS-1123 label

resource "hub_app" "bad" {
  name           = "corpus-app"
  namespace      = "default"
  image          = "nginx:1.27"
  container_name = "Web_Server"
}
