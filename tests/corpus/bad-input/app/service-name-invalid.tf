# a Service name starting with a digit (DNS-1035)
# expect: service.name ~ lower-case letter

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  service   = { name = "9-api" }
}
