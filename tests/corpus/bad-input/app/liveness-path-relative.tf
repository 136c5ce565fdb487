# probe path without '/'
# expect: liveness.http_path ~ start with '/'

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  liveness  = { http_path = "health" }
}
