# a label prefix with "_" (a prefix is a DNS-1123 subdomain: "." is fine)
# expect: labels ~ not a DNS-1123 subdomain

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  labels    = { "my_corp.example.com/team" = "api" }
}
