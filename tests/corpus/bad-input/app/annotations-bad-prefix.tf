# annotation key prefix is not a DNS subdomain
# expect: annotations ~ prefix

resource "hub_app" "bad" {
  name        = "corpus-app"
  namespace   = "default"
  image       = "nginx:1.27"
  annotations = { "Bad_Prefix/x" = "1" }
}
