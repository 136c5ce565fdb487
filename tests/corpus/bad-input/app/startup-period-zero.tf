# probe period 0
# expect: startup.period_seconds ~ from 1 to 3600

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  startup   = { period_seconds = 0 }
}
