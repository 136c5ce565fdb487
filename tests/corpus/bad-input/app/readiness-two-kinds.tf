# probe is both http and tcp
# expect: readiness ~ more than one

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  readiness = { http_path = "/ready", tcp = true }
}
