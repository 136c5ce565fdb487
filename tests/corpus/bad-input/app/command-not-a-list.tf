# command is a string
# expect: command ~ list of string required

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  command   = "serve"
}
