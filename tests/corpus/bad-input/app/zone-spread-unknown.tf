# zone_spread value not offered
# expect: zone_spread ~ not allowed

resource "hub_app" "bad" {
  name        = "corpus-app"
  namespace   = "default"
  image       = "nginx:1.27"
  zone_spread = "zones"
}
