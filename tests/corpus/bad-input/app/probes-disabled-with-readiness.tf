# a readiness probe while probes_enabled = false
# expect: readiness ~ probes_enabled = false

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  probes_enabled = false
  readiness      = { http_path = "/ready" }
}
