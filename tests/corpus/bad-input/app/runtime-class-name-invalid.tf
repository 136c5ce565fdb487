# a RuntimeClass name with an underscore
# expect: runtime_class_name ~ not a valid RuntimeClass name

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  runtime_class_name = "g_visor"
}
