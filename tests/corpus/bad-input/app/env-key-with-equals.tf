# environment variable name contains '='
# expect: env ~ environment variable

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  env       = { "A=B" = "1" }
}
