# UID -1
# expect: security.run_as_user ~ whole number

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  security  = { run_as_user = -1 }
}
